// The HTTP side of the KFP client: JSON requests and multipart uploads over libcurl with the
// bearer token, TLS settings and retries of transient failures.
#pragma once

#include <string>

#include "kfpevents/kfp.hpp"

namespace kfpevents::kfp {

struct Upload {
  std::string field;      // the form field, "uploadfile"
  std::string file_name;  // as the API will see it
  std::string bytes;
};

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
