// What both API versions share: run states, waiting for a run, choosing a client.
#include "core/files.hpp"
#include "core/sleep.hpp"
#include "core/strings.hpp"
#include "http/url.hpp"
#include "kfp/clients.hpp"
#include "kfpevents/kfp.hpp"

namespace kfpevents {
namespace {

bool IsTransient(const Status& status) {
  return status.code() == ErrorCode::kUnavailable || status.code() == ErrorCode::kTimeout;
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
  if (options.api == KfpApiVersion::kV2beta1) return kfp::MakeV2Client(std::move(options));
  return kfp::MakeV1Client(std::move(options));
}

}  // namespace kfpevents
