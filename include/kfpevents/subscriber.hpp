// Subscriber: delivers one message to one destination (a webhook, stdout, a plugin, ...).
#pragma once

#include <chrono>
#include <optional>
#include <stop_token>
#include <string>

#include "kfpevents/export.hpp"
#include "kfpevents/types.hpp"

namespace kfpevents {

class CurlTransferSource;  // curl_transfer.hpp

enum class DeliveryOutcome {
  kDelivered,  // the destination accepted the message
  kRetryable,  // try again later (timeouts, refused connections, HTTP 408, 429, 5xx)
  kPermanent,  // retrying the same message cannot succeed (HTTP 4xx, redirects, bad config)
};

struct DeliveryResult {
  DeliveryOutcome outcome = DeliveryOutcome::kDelivered;
  std::string detail;                               // human-readable, never contains secrets
  int http_status = 0;                              // 0 when no HTTP response was received
  std::optional<std::chrono::seconds> retry_after;  // the destination's own hint, if any

  static DeliveryResult Delivered(int status = 0) {
    return {DeliveryOutcome::kDelivered, "", status, std::nullopt};
  }
};

class KFPEVENTS_EXPORT Subscriber {
 public:
  Subscriber() = default;
  Subscriber(const Subscriber&) = delete;
  Subscriber& operator=(const Subscriber&) = delete;
  virtual ~Subscriber();

  // Delivers one message, once; retries are the delivery loop's job, not the subscriber's.
  //
  // Threading: called from threads of the subscription's own. By default the library never calls
  // one instance from two threads at once, so implementations need no locks; see
  // MaxConcurrentDeliveries and CurlTransfers for more.
  // Blocking: may block on I/O up to the subscriber's own timeout; must return promptly once
  // `stop` is requested (outcome kRetryable: the message stays undelivered).
  // Exceptions thrown here are caught by the delivery loop and count as kPermanent for this
  // message only. `message` is valid for the duration of the call only.
  // Shutdown: the destructor runs after the last Deliver call has returned.
  virtual DeliveryResult Deliver(const Message& message, std::stop_token stop) = 0;

  // How many Deliver calls this instance may take at once. 1, the default: one at a time, in
  // order. More: a subscription's `concurrency` (at most this many) runs that many deliveries at
  // once, each on a thread of its own, and Deliver must then be thread-safe; order is not kept.
  virtual int MaxConcurrentDeliveries() const { return 1; }

  // The deliveries as libcurl transfers (curl_transfer.hpp), which the delivery loop runs on its
  // curl multi handle, `concurrency` at a time, instead of calling Deliver; the built-in webhook
  // takes this path. Null, the default: Deliver. The source must live as long as the subscriber.
  virtual CurlTransferSource* CurlTransfers() { return nullptr; }
};

}  // namespace kfpevents
