// One blocking HTTP exchange over libcurl, the API clients' (Kubernetes, Argo Server, KFP): a
// request, then its answer, or a 200's body streamed as it arrives. The webhook takes the other
// path (curl transfers on the delivery loop); both set their handles with ApplyEasySettings.
// One Client per thread: it keeps its handle, and with it a kept-alive connection per server.
#pragma once

#include <chrono>
#include <functional>
#include <stop_token>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/curl_handle.hpp"
#include "http/easy_settings.hpp"
#include "kfpevents/status.hpp"

namespace kfpevents::http {

// A multipart/form-data body of one file (the KFP upload).
struct FormFile {
  std::string field;      // "uploadfile"
  std::string file_name;  // as the server will see it
  std::string bytes;
};

struct Request {
  const char* method = "GET";  // GET, or POST / PUT with `body` or `form`
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  const std::string* body = nullptr;  // sent as is, with the headers' Content-Type
  const FormFile* form = nullptr;
  std::size_t max_answer = 1024 * 1024;       // bytes of the answer kept; more is an error
  std::chrono::milliseconds timeout{60'000};  // the whole exchange; 0 for none
  // Streaming: a 200's body goes to `on_data` as it arrives instead of into the answer;
  // returning false ends the exchange early, which is no error. `on_open` runs once a 200's
  // headers have ended. No byte for `idle_timeout` (0: no limit) ends it as stalled.
  const std::function<bool(std::string_view)>* on_data = nullptr;
  const std::function<void()>* on_open = nullptr;
  std::chrono::milliseconds idle_timeout{0};
  // A client certificate and key (PEM) for this request instead of the client's settings' (a
  // credential plugin's, which rotates); both or neither, alive until Perform returns.
  const std::string* client_cert_pem = nullptr;
  const std::string* client_key_pem = nullptr;
};

struct Response {
  long status = 0;
  std::string body;  // the answer; when streaming, only a non-200's
};

// Why an exchange failed, beyond its Status: whether the request may have reached the server,
// which decides whether a request that creates something can be sent again.
struct FailureDetail {
  bool never_sent = false;  // the connection was refused or the host not resolved
  bool stalled = false;     // a stream went without a byte for its idle_timeout
};

class Client {
 public:
  // TLS and the user agent; each request gives its own timeout.
  explicit Client(EasySettings settings);

  // HTTP errors are responses. Errors: kCancelled once `stop` is requested; kTimeout when the
  // timeout passed or a stream stalled (the message says which); kInvalidArgument for an answer
  // longer than max_answer or a URL libcurl cannot use; kUnavailable for the rest (network,
  // TLS), with libcurl's own words. `detail`, if given, says more of a failure.
  Result<Response> Perform(const Request& request, std::stop_token stop,
                           FailureDetail* detail = nullptr);

 private:
  EasySettings settings_;
  EasyHandle curl_;
};

}  // namespace kfpevents::http
