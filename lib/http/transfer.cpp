#include "http/transfer.hpp"

namespace kfpevents::http {

Transfer::~Transfer() = default;
TransferSource::~TransferSource() = default;

}  // namespace kfpevents::http
