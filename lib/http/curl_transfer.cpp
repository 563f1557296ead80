#include "kfpevents/curl_transfer.hpp"

namespace kfpevents {

CurlTransfer::~CurlTransfer() = default;
CurlTransferSource::~CurlTransferSource() = default;

DeliveryResult PrepareFailed(const Status& error) {
  return {error.code() == ErrorCode::kPermanent ? DeliveryOutcome::kPermanent
                                                : DeliveryOutcome::kRetryable,
          error.message(), 0, std::nullopt};
}

}  // namespace kfpevents
