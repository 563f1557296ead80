// Creating a run, a pipeline, a version or an experiment must not happen twice. A request whose
// answer was lost (a 5xx, a timeout, a cut connection) may have been acted on: it is never simply
// repeated. What it may have made is looked for first, and adopted when found.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <thread>

#include "kfpevents/status.hpp"

namespace kfpevents::kfp {

// `create` once; after an ambiguous failure (kUnavailable or kTimeout), `find` looks for what it
// may have made: found, it is returned with `adopted` set; not found, `create` is tried again
// (at most `attempts` times in all, 1 s then 2 s apart); when `find` itself fails, the error says
// that `what` may exist. Other failures are returned as they are.
template <typename T>
Result<T> CreateOnce(int attempts, const std::string& what,
                     const std::function<Result<T>()>& create,
                     const std::function<Result<std::optional<T>>()>& find) {
  Status lost;
  for (int attempt = 1; attempt <= std::max(1, attempts); ++attempt) {
    if (attempt > 1) std::this_thread::sleep_for(std::chrono::seconds(attempt - 1));
    Result<T> created = create();
    if (created) return created;
    const ErrorCode code = created.error().code();
    if (code != ErrorCode::kUnavailable && code != ErrorCode::kTimeout) return created;
    lost = created.error();
    Result<std::optional<T>> found = find();
    if (!found) {
      return Status::Unavailable("creating " + what + " failed (" + lost.message() +
                                 ") and whether the server acted cannot be told (" +
                                 found.error().message() + "): " + what +
                                 " may exist; check before creating it again");
    }
    if (*found) {
      T adopted = std::move(**found);
      adopted.adopted = "the answer to its creation was lost (" + lost.message() +
                        "); found it and adopted it instead of creating it again";
      return adopted;
    }
  }
  return lost;
}

}  // namespace kfpevents::kfp
