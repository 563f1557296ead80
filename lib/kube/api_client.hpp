// GET requests to an HTTPS JSON API (the Kubernetes API server, Argo Server) with the cluster's
// TLS settings and a bearer token, plain or streamed. One client per thread: it keeps one
// kept-alive connection.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>

#include "http/client.hpp"
#include "kfpevents/kube.hpp"
#include "kfpevents/status.hpp"
#include "kube/token_source.hpp"

namespace kfpevents::kube {

struct ApiResponse {
  long status = 0;
  std::string body;  // for Stream(): only the body of a non-200 answer
};

class ApiClient {
 public:
  ApiClient(const ApiConnection& connection, std::shared_ptr<TokenSource> tokens);

  // GET `path` (with its query). Errors: kUnavailable for network and TLS failures, kCancelled
  // on stop, kInvalidArgument when the body exceeds `max_body`. HTTP errors are responses.
  // A 401 re-reads the token file and tries once more.
  Result<ApiResponse> Get(const std::string& path, std::stop_token stop, std::size_t max_body,
                          std::chrono::milliseconds timeout);

  // PUT or POST `body` (JSON) to `path`; the answer as Get's (up to 1 MiB).
  Result<ApiResponse> Send(const char* method, const std::string& path, const std::string& body,
                           std::stop_token stop, std::chrono::milliseconds timeout);

  // GET `path` and hand a 200 body to `on_data` as it arrives; `on_data` returns false to end the
  // transfer early (not an error). Returns when the server ends the response, `timeout` passes
  // or no byte arrives for `idle_timeout` (0: no limit) (kTimeout, saying which), or `stop` is
  // requested (kCancelled). `on_open` runs once the headers of a 200 have arrived: the stream is
  // established, whether or not data follows soon.
  using DataCallback = std::function<bool(std::string_view)>;
  Result<ApiResponse> Stream(const std::string& path, const DataCallback& on_data,
                             std::stop_token stop, std::chrono::milliseconds timeout,
                             const std::function<void()>& on_open = {},
                             std::chrono::milliseconds idle_timeout = {});

 private:
  // With the token; a 401 re-reads the token file and tries once more.
  Result<ApiResponse> PerformWithTokenRetry(http::Request& request, std::stop_token stop,
                                            http::FailureDetail* failure = nullptr);

  std::string server_;
  std::shared_ptr<TokenSource> tokens_;
  http::Client client_;
};

// `text` percent-encoded for a query parameter value.
std::string QueryEscape(std::string_view text);

}  // namespace kfpevents::kube
