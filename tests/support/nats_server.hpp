// A real nats-server (Debian's package) with JetStream, on 127.0.0.1 with its store in a folder of
// the test's, and what the tests need of it through the NATS C client: a stream to publish into
// and every message the stream holds.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "support/process.hpp"

namespace kfpevents::testing {

struct StoredMessage {
  std::string subject;
  std::string id;  // the Nats-Msg-Id header
  std::string body;
};

// What a server may require of its clients.
struct NatsServerOptions {
  std::string user;  // with `password`: clients must authenticate
  std::string password;
  std::string tls_cert;  // with `tls_key`: TLS only, with this certificate
  std::string tls_key;
  std::string ca_cert;  // what the tests' own admin connection trusts then
};

class NatsServer {
 public:
  // Starts the server on a free port, with JetStream storing under `store_dir`.
  explicit NatsServer(std::string store_dir, NatsServerOptions options = {});
  ~NatsServer();
  NatsServer(const NatsServer&) = delete;
  NatsServer& operator=(const NatsServer&) = delete;

  std::string Url() const;  // nats://127.0.0.1:PORT (tls:// when TLS is on)
  // Stops the server (SIGKILL: nothing is flushed politely) and starts it again on the same port
  // and store, as an outage would.
  void Kill();
  void Start();

  // Adds a file-backed stream over `subjects` ("kfp.>") that drops a repeated Nats-Msg-Id
  // within `duplicate_window`.
  void AddStream(const std::string& name, const std::string& subjects,
                 std::chrono::seconds duplicate_window = std::chrono::minutes(2));
  // Every message `stream` holds, in order, as a consumer from the stream's start reads them.
  std::vector<StoredMessage> Messages(const std::string& stream) const;

 private:
  std::string store_dir_;
  NatsServerOptions options_;
  int port_ = -1;
  std::unique_ptr<BackgroundProcess> process_;
};

}  // namespace kfpevents::testing
