// What both API versions share: run states, waiting for a run, choosing a client.
#include "core/files.hpp"
#include "core/sleep.hpp"
#include "core/strings.hpp"
#include "http/url.hpp"
#include "kfp/clients.hpp"
#include "kfp/kfp_http.hpp"
#include "kfpevents/kfp.hpp"

namespace kfpevents {
namespace {

bool IsTransient(const Status& status) {
  return status.code() == ErrorCode::kUnavailable || status.code() == ErrorCode::kTimeout;
}

// The API the server speaks: v2beta1 when its healthz answers, else v1beta1 when that one's does.
Result<KfpApiVersion> DetectApi(const KfpClientOptions& options) {
  const kfp::KfpHttp http(options);
  Result<std::string> v2 = http.Get("/apis/v2beta1/healthz");
  if (v2) return KfpApiVersion::kV2beta1;
  if (v2.error().code() != ErrorCode::kNotFound) return v2.error();
  Result<std::string> v1 = http.Get("/apis/v1beta1/healthz");
  if (v1) return KfpApiVersion::kV1beta1;
  return Status(v1.error().code(), "the KFP API at " + options.endpoint +
                                       " answers neither /apis/v2beta1/healthz nor "
                                       "/apis/v1beta1/healthz (" +
                                       v1.error().message() + ")");
}

}  // namespace

bool KfpRun::Finished() const {
  return status == "Succeeded" || status == "Failed" || status == "Error" || status == "Skipped" ||
         status == "Terminated";
}

bool KfpRun::Succeeded() const { return status == "Succeeded"; }

KfpClient::~KfpClient() = default;

Result<KfpRun> KfpClient::WaitForRun(const std::string& run_id, std::chrono::milliseconds interval,
                                     std::chrono::milliseconds timeout, std::stop_token stop,
                                     const std::function<void(const KfpRun&)>& on_poll) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  Status last_error;
  for (;;) {
    Result<KfpRun> run = GetRun(run_id);
    if (run) {
      if (on_poll) on_poll(*run);
      if (run->Finished()) return run;
    } else if (!IsTransient(run.error())) {
      return run.error();
    } else {
      last_error = run.error();
    }
    const auto left = deadline - std::chrono::steady_clock::now();
    if (left <= std::chrono::milliseconds(0)) {
      return Status::Timeout(
          "run " + run_id + " did not finish within " + std::to_string(timeout.count() / 1000) +
          " s" + (last_error.ok() ? "" : " (last error: " + last_error.message() + ")"));
    }
    const auto wait = std::min<std::chrono::milliseconds>(
        interval, std::chrono::duration_cast<std::chrono::milliseconds>(left));
    if (!SleepFor(wait, stop)) return Status::Cancelled("stopped while waiting for run " + run_id);
  }
}

Result<std::unique_ptr<KfpClient>> MakeKfpClient(KfpClientOptions options) {
  if (Status url = http::CheckWebhookUrl(options.endpoint); !url.ok()) {
    return Status::InvalidArgument("KFP endpoint: " + url.message());
  }
  if (options.token.empty() && !options.token_file.empty()) {
    Result<std::string> token = ReadFile(options.token_file, "token file");
    if (!token) return Status::InvalidArgument(token.error().message());
    options.token = std::string(Trim(*token));
  }
  if (options.api == KfpApiVersion::kDetect || options.api == KfpApiVersion::kV2beta1) {
    Result<KfpApiVersion> spoken = DetectApi(options);
    if (!spoken) return spoken.error();
    if (options.api == KfpApiVersion::kV2beta1 && *spoken != KfpApiVersion::kV2beta1) {
      return Status::InvalidArgument("the KFP API at " + options.endpoint +
                                     " speaks v1beta1 only (KFP 1.x: /apis/v2beta1/healthz is "
                                     "not found); use --api v1beta1, or auto to detect it");
    }
    options.api = *spoken;
  }
  const int attempts = options.attempts;
  return kfp::MakeCreateOnceClient(options.api == KfpApiVersion::kV2beta1
                                       ? kfp::MakeV2Client(std::move(options))
                                       : kfp::MakeV1Client(std::move(options)),
                                   attempts);
}

}  // namespace kfpevents
