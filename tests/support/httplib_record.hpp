// httplib's request as the tests' RecordedRequest; for the servers in tests/support only.
#pragma once

#include <httplib.h>

#include "support/loopback_http_server.hpp"

namespace kfpevents::testing {

RecordedRequest Record(const httplib::Request& request);

}  // namespace kfpevents::testing
