// Workflows over HTTP: the Kubernetes API (argoproj.io/v1alpha1) or Argo Server's REST API.
// The body is summarized as it is parsed, never held as a DOM.
#include "argo/decoders.hpp"
#include "core/sleep.hpp"
#include "kfpevents/kube.hpp"
#include "kube/api_client.hpp"
#include "kube/watch_frames.hpp"

namespace kfpevents {
namespace {

class HttpWorkflowResolver final : public WorkflowResolver {
 public:
  explicit HttpWorkflowResolver(WorkflowResolverOptions options)
      : options_(std::move(options)),
        client_(options_.connection,
                std::make_shared<kube::TokenSource>(options_.connection)) {}

  Result<SharedWorkflowInfo> Resolve(const WorkflowRef& ref, std::stop_token stop) override {
    const std::string name = ref.namespace_name + "/" + ref.name;
    const std::string path = options_.argo_server
                                 ? "/api/v1/workflows/" + kube::QueryEscape(ref.namespace_name) +
                                       "/" + kube::QueryEscape(ref.name)
                                 : "/apis/argoproj.io/v1alpha1/namespaces/" +
                                       kube::QueryEscape(ref.namespace_name) + "/workflows/" +
                                       kube::QueryEscape(ref.name);
    Status last = Status::Unavailable("no attempt made");
    for (int attempt = 1; attempt <= std::max(1, options_.attempts); ++attempt) {
      if (attempt > 1) SleepFor(std::chrono::milliseconds(250 * (attempt - 1)), stop);
      Result<kube::ApiResponse> response =
          client_.Get(path, stop, options_.max_body_bytes, std::chrono::seconds(30));
      if (!response) {
        last = Status(response.error().code(),
                      "GET workflow " + name + ": " + response.error().message());
        if (last.code() == ErrorCode::kCancelled || last.code() == ErrorCode::kInvalidArgument) {
          return last;
        }
        continue;  // network trouble: try again
      }
      if (response->status == 200) return Summarize(ref, name, response->body);
      const kube::ApiStatus status = kube::DecodeApiStatus(response->body, response->status);
      const std::string why = "GET workflow " + name + ": HTTP " +
                              std::to_string(response->status) +
                              (status.message.empty() ? "" : ": " + status.message);
      if (response->status == 404) return Status::NotFound(why);
      if (response->status == 429 || response->status >= 500) {
        last = Status::Unavailable(why);
        continue;
      }
      return Status::Permanent(why);  // 401, 403, ...: trying again will not help
    }
    return last;
  }

 private:
  static Result<SharedWorkflowInfo> Summarize(const WorkflowRef& ref, const std::string& name,
                                              const std::string& body) {
    Result<WorkflowInfo> info = argo::SummarizeWorkflow(body, body.capacity());
    if (!info) {
      return Status::InvalidArgument("workflow " + name + ": " + info.error().message());
    }
    if (!ref.uid.empty() && !info->uid.empty() && info->uid != ref.uid) {
      // Same name, new object: the workflow the event is about has been deleted.
      return Status::NotFound("workflow " + name + " was replaced (uid " + info->uid +
                              ", the event's is " + ref.uid + ")");
    }
    return std::make_shared<const WorkflowInfo>(std::move(*info));
  }

  WorkflowResolverOptions options_;
  kube::ApiClient client_;
};

}  // namespace

Result<std::unique_ptr<WorkflowResolver>> MakeWorkflowResolver(WorkflowResolverOptions options) {
  if (options.connection.server.empty()) return Status::InvalidArgument("no server address");
  return std::unique_ptr<WorkflowResolver>(
      std::make_unique<HttpWorkflowResolver>(std::move(options)));
}

}  // namespace kfpevents
