#include "kfp/kfp_http.hpp"

#include <rapidjson/document.h>

#include <chrono>
#include <thread>

#include "http/curl_handle.hpp"
#include "http/easy_settings.hpp"
#include "json/json_fields.hpp"

namespace kfpevents::kfp {
namespace {

constexpr std::size_t kMaxAnswerBytes = 16 * 1024 * 1024;

std::size_t OnBody(char* data, std::size_t size, std::size_t count, void* user) {
  return static_cast<http::CappedBody*>(user)->Append(data, size * count);
}

// The API's error text: {"error": ..., "message": ...} (v1 writes both), else the body's start.
std::string ApiMessage(const std::string& body) {
  rapidjson::Document document;
  document.Parse(body.c_str(), body.size());
  if (!document.HasParseError() && document.IsObject()) {
    std::string message = json::StringMember(document, "message");
    if (message.empty()) message = json::StringMember(document, "error");
    if (!message.empty()) return message;
  }
  std::string excerpt = body.substr(0, 200);
  for (char& c : excerpt) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return excerpt;
}

Status StatusFor(long status, const std::string& body) {
  const std::string message = "HTTP " + std::to_string(status) + ": " + ApiMessage(body);
  if (status == 404) return Status::NotFound(message);
  if (status == 401 || status == 403) {
    return Status::Permanent(message + " (check the token: --token, --token-file or KFP_TOKEN)");
  }
  if (status == 408 || status == 429 || status >= 500) return Status::Unavailable(message);
  return Status::Permanent(message);
}

}  // namespace

Result<std::string> KfpHttp::Get(const std::string& path_and_query) const {
  return Send(Kind::kGet, path_and_query, "", nullptr);
}

Result<std::string> KfpHttp::PostJson(const std::string& path_and_query,
                                      const std::string& body) const {
  return Send(Kind::kJson, path_and_query, body, nullptr);
}

Result<std::string> KfpHttp::PostUpload(const std::string& path_and_query,
                                        const Upload& upload) const {
  return Send(Kind::kUpload, path_and_query, "", &upload);
}

Result<std::string> KfpHttp::Send(Kind kind, const std::string& path_and_query,
                                  const std::string& body, const Upload* upload) const {
  std::string endpoint = options_.endpoint;
  while (!endpoint.empty() && endpoint.back() == '/') endpoint.pop_back();
  const std::string url = endpoint + path_and_query;
  Status last;
  for (int attempt = 1; attempt <= std::max(1, options_.attempts); ++attempt) {
    if (attempt > 1) std::this_thread::sleep_for(std::chrono::seconds(attempt - 1));
    http::EasyHandle easy = http::MakeEasyHandle();
    if (!easy) return Status::Internal("cannot create a libcurl handle");
    CURL* curl = easy.get();
    http::HeaderList headers;
    bool ok = http::AppendHeader(headers, "Accept", "application/json");
    if (!options_.token.empty()) {
      ok &= http::AppendHeader(headers, "Authorization", "Bearer " + options_.token);
    }
    if (kind == Kind::kJson) ok &= http::AppendHeader(headers, "Content-Type", "application/json");
    ok &= http::AppendHeader(headers, "Expect", "");
    if (!ok) return Status::Internal("out of memory");
    http::CappedBody answer;
    answer.max = kMaxAnswerBytes;
    char error_text[CURL_ERROR_SIZE] = {};
    curl_mime* mime = nullptr;
    http::EasySettings settings;
    settings.timeout = options_.timeout;
    settings.ca_file = options_.ca_file;
    settings.insecure_skip_verify = options_.insecure_skip_verify;
    http::ApplyEasySettings(curl, url, settings);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_text);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &OnBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer);
    if (kind == Kind::kJson) {
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    } else if (kind == Kind::kUpload) {
      mime = curl_mime_init(curl);
      curl_mimepart* part = curl_mime_addpart(mime);
      curl_mime_name(part, upload->field.c_str());
      curl_mime_filename(part, upload->file_name.c_str());
      curl_mime_data(part, upload->bytes.data(), upload->bytes.size());
      curl_easy_setopt(curl, CURLOPT_MIMEPOST, mime);
    }
    const CURLcode code = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_mime_free(mime);
    // A POST creates: once it may have reached the server, it is not repeated here (the
    // clients look for what it may have made first: kfp/create_once.hpp).
    const bool creates = kind != Kind::kGet;
    if (code != CURLE_OK) {
      last = Status::Unavailable("cannot reach " + endpoint + ": " +
                                 (error_text[0] != '\0' ? error_text : curl_easy_strerror(code)));
      if (code == CURLE_URL_MALFORMAT || code == CURLE_UNSUPPORTED_PROTOCOL) {
        return Status::InvalidArgument(last.message());
      }
      const bool never_sent = code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST;
      if (creates && !never_sent) return last;
      continue;
    }
    if (status >= 200 && status < 300) return std::move(answer.text);
    last = StatusFor(status, answer.text);
    if (last.code() != ErrorCode::kUnavailable || creates) return last;
  }
  return last;
}

}  // namespace kfpevents::kfp
