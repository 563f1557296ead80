// A delivery prepared as a libcurl easy handle, so that the delivery loop can run many at once
// on one curl multi handle. The built-in webhook subscriber produces them; its blocking
// Deliver() runs the same transfer with curl_easy_perform.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <string>

#include "http/curl_handle.hpp"
#include "kfpevents/status.hpp"
#include "kfpevents/subscriber.hpp"

namespace kfpevents::http {

class Transfer {
 public:
  Transfer() = default;
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;
  virtual ~Transfer();

  // The configured handle; the caller runs it (curl multi or easy) and then calls Finish.
  virtual CURL* easy() = 0;
  // The outcome once curl is done with `code`.
  virtual DeliveryResult Finish(CURLcode code) = 0;
  // Gives the handle back (for its connection cache) once the transfer is finished.
  virtual EasyHandle Release() = 0;
};

// Implemented by subscribers whose deliveries can run on curl multi.
class TransferSource {
 public:
  virtual ~TransferSource();
  // A transfer for `message`, which must outlive it. `reuse` (may be null) is an easy handle
  // from an earlier transfer, kept for its connection cache.
  // CURLOPT_PRIVATE holds the Transfer*.
  virtual Result<std::unique_ptr<Transfer>> Prepare(const Message& message, EasyHandle reuse) = 0;
};

// The outcome of a delivery whose transfer could not be prepared: permanent when the message
// can never be sent (kPermanent, e.g. a bad destination), retryable otherwise (out of memory).
DeliveryResult PrepareFailed(const Status& error);

}  // namespace kfpevents::http
