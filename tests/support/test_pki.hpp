// A throwaway certificate authority, made at test time with the openssl tool: a server
// certificate for 127.0.0.1 and a client certificate, both signed by it.
#pragma once

#include <string>

#include "support/temp_dir.hpp"

namespace kfpevents::testing {

struct TestPki {
  std::string ca_cert;  // file paths inside the TempDir given to MakeTestPki
  std::string server_cert;
  std::string server_key;
  std::string client_cert;
  std::string client_key;
};

// Throws when openssl fails.
TestPki MakeTestPki(const TempDir& dir);

}  // namespace kfpevents::testing
