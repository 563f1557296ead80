#include <ostream>

#include "kfpevents/subscribers.hpp"

namespace kfpevents {
namespace {

class StreamSubscriber final : public Subscriber {
 public:
  explicit StreamSubscriber(std::ostream& out) : out_(out) {}

  DeliveryResult Deliver(const Message& message, std::stop_token) override {
    out_ << message.body << '\n';
    out_.flush();
    if (!out_) return {DeliveryOutcome::kPermanent, "cannot write to the output stream", 0, {}};
    return DeliveryResult::Delivered();
  }

 private:
  std::ostream& out_;
};

}  // namespace

std::unique_ptr<Subscriber> MakeStreamSubscriber(std::ostream& out) {
  return std::make_unique<StreamSubscriber>(out);
}

}  // namespace kfpevents
