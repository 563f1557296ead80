#include "http/client.hpp"

#include <strings.h>

#include <cstdlib>

namespace kfpevents::http {
namespace {

// One exchange's state, shared with libcurl's callbacks.
struct Exchange {
  Exchange(const Request& asked, std::stop_token stop_token)
      : request(asked), stop(std::move(stop_token)) {
    answer.max = asked.max_answer;
  }
  const Request& request;
  std::stop_token stop;
  long status = 0;
  CappedBody answer;  // what is not streamed: answers, and the error answers of streams
  bool ended_by_callback = false;
  std::chrono::steady_clock::time_point last_byte = std::chrono::steady_clock::now();
  bool stalled = false;
};

// curl asks about once a second: abort on stop, and on a stream silent for its idle limit.
int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* exchange = static_cast<Exchange*>(user);
  if (exchange->stop.stop_requested()) return 1;
  const std::chrono::milliseconds idle_limit = exchange->request.idle_timeout;
  if (idle_limit.count() > 0 &&
      std::chrono::steady_clock::now() - exchange->last_byte > idle_limit) {
    exchange->stalled = true;
    return 1;
  }
  return 0;
}

// A 200 stream goes to the caller as it arrives; anything else is kept, capped.
std::size_t OnData(char* data, std::size_t size, std::size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  const std::size_t bytes = size * count;
  exchange->last_byte = std::chrono::steady_clock::now();
  if (exchange->request.on_data != nullptr && exchange->status == 200) {
    if (!(*exchange->request.on_data)(std::string_view(data, bytes))) {
      exchange->ended_by_callback = true;
      return 0;  // makes curl stop with CURLE_WRITE_ERROR, which Perform treats as a clean end
    }
    return bytes;
  }
  return exchange->answer.Append(data, bytes);
}

// Records the status of the final response before its body arrives.
std::size_t OnHeader(char* data, std::size_t size, std::size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  const std::size_t bytes = size * count;
  exchange->last_byte = std::chrono::steady_clock::now();
  const std::string_view line(data, bytes);
  if (line.rfind("HTTP/", 0) == 0) {
    const std::size_t space = line.find(' ');
    if (space != std::string_view::npos) {
      exchange->status = std::strtol(std::string(line.substr(space + 1, 3)).c_str(), nullptr, 10);
    }
  } else if (line == "\r\n" && exchange->status == 200 && exchange->request.on_open != nullptr &&
             *exchange->request.on_open) {
    (*exchange->request.on_open)();
  } else if (exchange->request.on_data == nullptr && line.size() > 15 &&
             strncasecmp(line.data(), "content-length:", 15) == 0) {
    exchange->answer.Expect(std::strtoull(std::string(line.substr(15)).c_str(), nullptr, 10));
  }
  return bytes;
}

struct MimeDeleter {
  void operator()(curl_mime* mime) const { curl_mime_free(mime); }
};

}  // namespace

Client::Client(EasySettings settings) : settings_(std::move(settings)), curl_(MakeEasyHandle()) {}

Result<Response> Client::Perform(const Request& request, std::stop_token stop,
                                 FailureDetail* detail) {
  CURL* curl = curl_.get();
  if (curl == nullptr) return Status::Internal("cannot create a libcurl handle");
  HeaderList headers;
  for (const auto& [name, value] : request.headers) {
    if (!AppendHeader(headers, name, value)) return Status::Internal("out of memory");
  }
  if (request.body != nullptr || request.form != nullptr) {
    if (!AppendHeader(headers, "Expect", "")) return Status::Internal("out of memory");
  }
  Exchange exchange(request, std::move(stop));
  char error_text[CURL_ERROR_SIZE] = {0};

  curl_easy_reset(curl);  // keeps the connection cache, forgets the previous request
  ApplyEasySettings(curl, request.url, settings_);
  if (request.client_cert_pem != nullptr && request.client_key_pem != nullptr) {
    SetClientCertificate(curl, *request.client_cert_pem, *request.client_key_pem);
  }
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
  std::unique_ptr<curl_mime, MimeDeleter> mime;
  if (request.form != nullptr) {
    mime.reset(curl_mime_init(curl));
    curl_mimepart* part = curl_mime_addpart(mime.get());
    curl_mime_name(part, request.form->field.c_str());
    curl_mime_filename(part, request.form->file_name.c_str());
    curl_mime_data(part, request.form->bytes.data(), request.form->bytes.size());
    curl_easy_setopt(curl, CURLOPT_MIMEPOST, mime.get());
  } else if (request.body != nullptr) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body->data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body->size()));
  }
  if (std::string_view(request.method) != "GET" && std::string_view(request.method) != "POST") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method);
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_text);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &OnData);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &exchange);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &OnHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &exchange);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &OnProgress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &exchange);

  const CURLcode code = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);  // error_text goes out of scope
  if (detail != nullptr) {
    detail->never_sent = code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST;
    detail->stalled = exchange.stalled;
  }

  if (exchange.stalled && !exchange.stop.stop_requested()) {
    return Status::Timeout("no byte for " + std::to_string(request.idle_timeout.count() / 1000) +
                           " s on a connection still open");
  }
  if (code == CURLE_ABORTED_BY_CALLBACK || exchange.stop.stop_requested()) {
    return Status::Cancelled("request cancelled");
  }
  if (code == CURLE_WRITE_ERROR && exchange.ended_by_callback) return Response{status, {}};
  if (code == CURLE_WRITE_ERROR && exchange.answer.overflowed) {
    return Status::InvalidArgument("response larger than " + std::to_string(request.max_answer) +
                                   " bytes");
  }
  const std::string what = std::string(curl_easy_strerror(code)) +
                           (error_text[0] != '\0' ? std::string(": ") + error_text : "");
  if (code == CURLE_OPERATION_TIMEDOUT)
    return Status::Timeout("still open after its timeout: " + what);
  if (code == CURLE_URL_MALFORMAT || code == CURLE_UNSUPPORTED_PROTOCOL) {
    return Status::InvalidArgument(what);
  }
  if (code != CURLE_OK) return Status::Unavailable(what);
  return Response{status, std::move(exchange.answer.text)};
}

}  // namespace kfpevents::http
