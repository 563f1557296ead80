// The two API versions' clients; MakeKfpClient picks one.
#pragma once

#include <memory>

#include "kfpevents/kfp.hpp"

namespace kfpevents::kfp {

std::unique_ptr<KfpClient> MakeV1Client(KfpClientOptions options);
std::unique_ptr<KfpClient> MakeV2Client(KfpClientOptions options);
// `inner`, with every create made safe against a lost answer (create_once.hpp).
std::unique_ptr<KfpClient> MakeCreateOnceClient(std::unique_ptr<KfpClient> inner, int attempts);

}  // namespace kfpevents::kfp
