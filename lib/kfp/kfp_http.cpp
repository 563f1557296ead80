#include "kfp/kfp_http.hpp"

#include <rapidjson/document.h>

#include <chrono>
#include <thread>

#include "json/json_fields.hpp"

namespace kfpevents::kfp {
namespace {

constexpr std::size_t kMaxAnswerBytes = 16 * 1024 * 1024;

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
  http::Request request;
  request.url = endpoint + path_and_query;
  request.max_answer = kMaxAnswerBytes;
  request.timeout = options_.timeout;
  request.headers.emplace_back("Accept", "application/json");
  if (!options_.token.empty())
    request.headers.emplace_back("Authorization", "Bearer " + options_.token);
  if (kind == Kind::kJson) {
    request.method = "POST";
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = &body;
  } else if (kind == Kind::kUpload) {
    request.method = "POST";
    request.form = upload;
  }
  http::EasySettings settings;
  settings.ca_file = options_.ca_file;
  settings.insecure_skip_verify = options_.insecure_skip_verify;
  http::Client client(std::move(settings));  // kept across attempts, for its connection
  // A POST creates: once it may have reached the server, it is not repeated here (the clients
  // look for what it may have made first: kfp/create_once.hpp).
  const bool creates = kind != Kind::kGet;
  Status last;
  for (int attempt = 1; attempt <= std::max(1, options_.attempts); ++attempt) {
    if (attempt > 1) std::this_thread::sleep_for(std::chrono::seconds(attempt - 1));
    http::FailureDetail failure;
    Result<http::Response> answer = client.Perform(request, {}, &failure);
    if (!answer) {
      // A bad URL, an answer too long: the same again would fail the same way.
      const ErrorCode code = answer.error().code();
      if (code == ErrorCode::kInvalidArgument || code == ErrorCode::kInternal) {
        return Status(code, endpoint + ": " + answer.error().message());
      }
      last = Status::Unavailable("cannot reach " + endpoint + ": " + answer.error().message());
      if (creates && !failure.never_sent) return last;
      continue;
    }
    if (answer->status >= 200 && answer->status < 300) return std::move(answer->body);
    last = StatusFor(answer->status, answer->body);
    if (last.code() != ErrorCode::kUnavailable || creates) return last;
  }
  return last;
}

}  // namespace kfpevents::kfp
