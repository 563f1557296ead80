// The HTTP side of the KFP client: JSON requests and multipart uploads (http::Client) with the
// bearer token, TLS settings and retries of transient failures. Thread-safe: each call has a
// client of its own.
#pragma once

#include <string>

#include "http/client.hpp"
#include "kfpevents/kfp.hpp"

namespace kfpevents::kfp {

using Upload = http::FormFile;

class KfpHttp {
 public:
  explicit KfpHttp(KfpClientOptions options) : options_(std::move(options)) {}

  // `path_and_query` is appended to the endpoint. The answer's body on 2xx; otherwise an error
  // built from the API's {code, message} (see KfpClient for the codes). A GET is tried again on
  // transient failures; a POST only when it cannot have reached the server (refused, unresolved).
  Result<std::string> Get(const std::string& path_and_query) const;
  Result<std::string> PostJson(const std::string& path_and_query, const std::string& body) const;
  Result<std::string> PostUpload(const std::string& path_and_query, const Upload& upload) const;

 private:
  enum class Kind { kGet, kJson, kUpload };
  Result<std::string> Send(Kind kind, const std::string& path_and_query, const std::string& body,
                           const Upload* upload) const;

  KfpClientOptions options_;
};

}  // namespace kfpevents::kfp
