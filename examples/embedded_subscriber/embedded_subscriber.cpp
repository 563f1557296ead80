// A program that links libkfpevents and adds its own sink: it replays a recorded file and
// "pages" on every failed run, printing what it would send.
//
//   embedded-subscriber FILE
#include <iostream>
#include <kfpevents/kfpevents.hpp>

namespace {

class PagerSubscriber final : public kfpevents::Subscriber {
 public:
  kfpevents::DeliveryResult Deliver(const kfpevents::Message& message, std::stop_token) override {
    std::cout << "PAGE " << message.id << ' ' << message.body << '\n';
    return kfpevents::DeliveryResult::Delivered();
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: embedded-subscriber FILE\n";
    return 2;
  }
  kfpevents::ReplayOptions options;
  options.path = argv[1];
  auto replay = kfpevents::MakeReplay(options);
  if (!replay) {
    std::cerr << replay.error().ToString() << '\n';
    return 2;
  }
  kfpevents::Subscription pager;
  pager.name = "pager";
  pager.subscriber = std::make_unique<PagerSubscriber>();
  pager.formatter = kfpevents::MakeKfpFormatter();
  pager.filter.reasons = {"WorkflowFailed"};  // also: namespaces, workflow_selector, level
  std::vector<kfpevents::Subscription> subscriptions;
  subscriptions.push_back(std::move(pager));
  kfpevents::Pipeline pipeline(std::move(replay->source), std::move(replay->resolver),
                               std::move(subscriptions));
  auto summary = pipeline.Run({});
  if (!summary) {
    std::cerr << summary.error().ToString() << '\n';
    return 1;
  }
  return summary->AllDelivered() ? 0 : 1;
}
