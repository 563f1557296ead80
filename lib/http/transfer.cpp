#include "http/transfer.hpp"

namespace kfpevents::http {

Transfer::~Transfer() = default;
TransferSource::~TransferSource() = default;

DeliveryResult PrepareFailed(const Status& error) {
  return {error.code() == ErrorCode::kPermanent ? DeliveryOutcome::kPermanent
                                                : DeliveryOutcome::kRetryable,
          error.message(), 0, std::nullopt};
}

}  // namespace kfpevents::http
