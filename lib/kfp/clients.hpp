// The two API versions' clients; MakeKfpClient picks one.
#pragma once

#include <memory>

#include "kfpevents/kfp.hpp"

namespace kfpevents::kfp {

std::unique_ptr<KfpClient> MakeV1Client(KfpClientOptions options);
std::unique_ptr<KfpClient> MakeV2Client(KfpClientOptions options);

}  // namespace kfpevents::kfp
