// What every CI recipe's test runs: a KFP 2.x pipeline with one parameter of each scalar type
// (and the Azure DevOps callback), which the fake KFP API refuses unless each value is sent as
// its declared type.
#pragma once

#include <string>

#include "support/fake_kfp_api.hpp"

namespace kfpevents::testing {

// The fake speaks KFP 2.x, and every version declares epochs (NUMBER_INTEGER), learning_rate
// (NUMBER_DOUBLE), fast (BOOLEAN), dataset (STRING) and azdocallbackinfo (STRING).
inline void ServeTypedPipeline(FakeKfpApi& api) {
  api.SpeakKfp2();
  api.DeclareParameters({{"epochs", "NUMBER_INTEGER"},
                         {"learning_rate", "NUMBER_DOUBLE"},
                         {"fast", "BOOLEAN"},
                         {"dataset", "STRING"},
                         {"azdocallbackinfo", "STRING"}});
}

// The values the recipes give, as CI users write them, and as the run must carry them.
inline constexpr const char* kTypedParamsObject =
    R"({"epochs": 3, "learning_rate": 0.01, "fast": true, "dataset": "s3://data/latest"})";
inline constexpr const char* kTypedRunParameters =
    R"("parameters":{"epochs":3,"learning_rate":0.01,"fast":true,"dataset":"s3://data/latest"})";

// The body of the last POST /apis/v2beta1/runs ("" when none).
inline std::string LastRunBody(const FakeKfpApi& api) {
  std::string body;
  for (const RecordedRequest& request : api.Requests()) {
    if (request.method == "POST" && request.path == "/apis/v2beta1/runs") body = request.body;
  }
  return body;
}

}  // namespace kfpevents::testing
