// A workflow summary packed into one string for the cache: every text field length-prefixed, in
// a fixed order. A WorkflowInfo spreads over dozens of allocations (a string per node field, a
// tree node per label), several times the size of its text; packed, 10,000 cached runs of ten
// nodes fit in about 15 MB (docs/BENCHMARKS.md).
#pragma once

#include <string>

#include "kfpevents/types.hpp"

namespace kfpevents::resolve {

std::string PackSummary(const WorkflowInfo& info);
WorkflowInfo UnpackSummary(const std::string& packed);  // of what PackSummary wrote

}  // namespace kfpevents::resolve
