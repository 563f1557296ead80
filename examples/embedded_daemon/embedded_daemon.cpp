// The whole daemon inside a program of your own: RunDaemon lists and watches the cluster,
// reconciles, resolves each Workflow and delivers through the outbox, exactly as `kfp-eventd
// watch` does, to a subscriber this program defines. Here it keeps a board of finished runs
// (level run: one message per run) and prints each run as it ends.
//
//   embedded-daemon KUBECONFIG [RUNS]   stops on SIGINT or SIGTERM, or after RUNS runs ended
#include <signal.h>

#include <iostream>
#include <kfpevents/kfpevents.hpp>
#include <thread>

namespace {

std::stop_source stop;

class RunBoard final : public kfpevents::Subscriber {
 public:
  explicit RunBoard(int runs_to_see) : left_(runs_to_see) {}

  kfpevents::DeliveryResult Deliver(const kfpevents::Message& message, std::stop_token) override {
    std::cout << "run ended: " << message.body << std::endl;
    if (--left_ == 0) stop.request_stop();  // RUNS given and seen: done
    return kfpevents::DeliveryResult::Delivered();
  }

 private:
  int left_;  // 0 or less: never stop on our own
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: embedded-daemon KUBECONFIG [RUNS]\n";
    return 2;
  }
  kfpevents::Result<kfpevents::ApiConnection> cluster = kfpevents::DiscoverConnection(argv[1], "");
  if (!cluster) {
    std::cerr << cluster.error().message() << '\n';
    return 2;
  }
  kfpevents::DaemonOptions options;
  options.watch.connection = *cluster;
  options.watch.namespaces = {cluster->namespace_name.empty() ? "default" : cluster->namespace_name};
  options.logger = kfpevents::MakeStderrLogger();

  kfpevents::Subscription board;
  board.name = "run-board";
  board.subscriber = std::make_unique<RunBoard>(argc > 2 ? std::atoi(argv[2]) : 0);
  board.formatter = std::move(*kfpevents::MakeFormatter("kfp"));
  board.filter.level = kfpevents::EventLevel::kRun;
  options.subscriptions.push_back(std::move(board));

  // SIGINT and SIGTERM stop it: taken by a thread of ours, before the daemon starts any.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::jthread waiter([&signals](std::stop_token done) {
    const timespec poll{0, 200'000'000};
    while (!done.stop_requested()) {
      if (sigtimedwait(&signals, nullptr, &poll) > 0) stop.request_stop();
    }
  });
  kfpevents::Result<kfpevents::DaemonRun> run =
      kfpevents::RunDaemon(std::move(options), stop.get_token());
  if (!run) {
    std::cerr << run.error().message() << '\n';
    return 2;
  }
  return run->end == kfpevents::DaemonRun::End::kStopped ? 0 : 1;
}
