// Deliveries as libcurl transfers: the path the built-in webhook takes, open to any subscriber.
//
// A subscriber whose delivery is one libcurl transfer (an HTTP request, an SMTP send, ...) can
// hand the delivery loop a configured easy handle instead of blocking in Deliver. The loop then
// runs up to the subscription's `concurrency` transfers at once on its one curl multi handle, with
// no thread per delivery, beside every other such subscriber; a slow destination holds up only its
// own transfers. Finished handles are given back to the next Prepare for their connection caches.
// Return the source from Subscriber::CurlTransfers().
#pragma once

#include <curl/curl.h>

#include <memory>

#include "kfpevents/export.hpp"
#include "kfpevents/status.hpp"
#include "kfpevents/subscriber.hpp"

namespace kfpevents {

struct CurlEasyCleanup {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
using CurlEasy = std::unique_ptr<CURL, CurlEasyCleanup>;

// One delivery in flight: the handle and whatever its callbacks write to.
class KFPEVENTS_EXPORT CurlTransfer {
 public:
  CurlTransfer() = default;
  CurlTransfer(const CurlTransfer&) = delete;
  CurlTransfer& operator=(const CurlTransfer&) = delete;
  virtual ~CurlTransfer();

  // The configured handle. The loop adds it to its multi handle as it is and sets no option on it.
  virtual CURL* easy() = 0;
  // The outcome, once libcurl has finished the transfer with `code`.
  virtual DeliveryResult Finish(CURLcode code) = 0;
  // Gives the handle back after Finish, for the next transfer of the same source; null drops it.
  virtual CurlEasy Release() = 0;
};

class KFPEVENTS_EXPORT CurlTransferSource {
 public:
  virtual ~CurlTransferSource();

  // A transfer for `message`, which outlives it. `reuse` is null or a handle an earlier transfer
  // released: curl_easy_reset it (its connections stay cached) and configure it afresh.
  // Errors: kPermanent when the message can never be sent this way (it is dead-lettered at once);
  // any other error is retried on the subscription's schedule.
  // Threading: called on the delivery loop's thread, as are Finish and Release; never
  // concurrently for one source. Blocking: must not block; the transfer itself does the I/O.
  virtual Result<std::unique_ptr<CurlTransfer>> Prepare(const Message& message, CurlEasy reuse) = 0;
};

// The outcome of a delivery whose transfer could not be prepared: kPermanent for a kPermanent
// error, kRetryable otherwise.
KFPEVENTS_EXPORT DeliveryResult PrepareFailed(const Status& error);

}  // namespace kfpevents
