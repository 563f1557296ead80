// A program that links libkfpevents and adds its own sink and format (Tier 1 plugins): it
// registers a `pager` subscriber type and a `page-text` format, selects them in configuration as
// an operator would, replays a recorded file and "pages" on every failed run.
//
//   embedded-subscriber FILE
#include <iostream>
#include <kfpevents/kfpevents.hpp>
#include <kfpevents/extensions.hpp>

namespace {

// Prints what it would send to the on-call pager.
class PagerSubscriber final : public kfpevents::Subscriber {
 public:
  explicit PagerSubscriber(std::string prefix) : prefix_(std::move(prefix)) {}

  kfpevents::DeliveryResult Deliver(const kfpevents::Message& message, std::stop_token) override {
    std::cout << prefix_ << ' ' << message.id << ' ' << message.body << '\n';
    return kfpevents::DeliveryResult::Delivered();
  }

 private:
  std::string prefix_;
};

// One line a human reads: which run failed and where to look.
class PageTextFormatter final : public kfpevents::MessageFormatter {
 public:
  kfpevents::Result<kfpevents::Message> Format(
      const kfpevents::Notification& notification) const override {
    const kfpevents::WorkflowRef workflow = kfpevents::WorkflowOf(notification.event);
    kfpevents::Message message;
    message.id = kfpevents::MessageIdForKey(notification.key);
    message.content_type = "text/plain";
    message.body = notification.event.reason + " " + workflow.namespace_name + "/" + workflow.name +
                   " run " + kfpevents::KfpRunId(notification.workflow.get());
    return message;
  }
};

constexpr const char* kConfig = R"(
subscribers:
  - name: on-call
    type: pager
    format: page-text
    events: [WorkflowFailed]
    settings: {prefix: PAGE}
)";

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: embedded-subscriber FILE\n";
    return 2;
  }
  // Register before configuration is parsed: `type:` and `format:` are checked against these.
  kfpevents::Status registered = kfpevents::RegisterSubscriberType(
      "pager",
      [](const kfpevents::SubscriberConfig& config)
          -> kfpevents::Result<std::unique_ptr<kfpevents::Subscriber>> {
        // settings_json is the `settings:` mapping; a real program would use its JSON reader.
        const bool page = config.settings_json.find("\"prefix\":\"PAGE\"") != std::string::npos;
        return std::unique_ptr<kfpevents::Subscriber>(
            std::make_unique<PagerSubscriber>(page ? "PAGE" : "NOTE"));
      });
  if (registered.ok()) {
    registered = kfpevents::RegisterFormat("page-text",
                                           [] { return std::make_unique<PageTextFormatter>(); });
  }
  if (!registered.ok()) {
    std::cerr << registered.ToString() << '\n';
    return 2;
  }
  auto config = kfpevents::ParseConfig(kConfig, "embedded config");
  if (!config) {
    std::cerr << config.error().ToString() << '\n';
    return 2;
  }
  auto subscriptions = kfpevents::BuildSubscriptions(config->subscribers);
  if (!subscriptions) {
    std::cerr << subscriptions.error().ToString() << '\n';
    return 2;
  }
  kfpevents::ReplayOptions options;
  options.path = argv[1];
  auto replay = kfpevents::MakeReplay(options);
  if (!replay) {
    std::cerr << replay.error().ToString() << '\n';
    return 2;
  }
  kfpevents::Pipeline pipeline(std::move(replay->source), std::move(replay->resolver),
                               std::move(*subscriptions));
  auto summary = pipeline.Run({});
  if (!summary) {
    std::cerr << summary.error().ToString() << '\n';
    return 1;
  }
  return summary->AllDelivered() ? 0 : 1;
}
