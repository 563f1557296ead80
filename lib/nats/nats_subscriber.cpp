// Publishes to NATS JetStream with Debian's NATS C client (libnats-dev). A message counts as
// delivered only when the stream's acknowledgement arrives; its Nats-Msg-Id is the message id,
// so a publish repeated after a lost acknowledgement or a crash is dropped by the stream's
// duplicate window rather than stored twice.
#include <nats/nats.h>


#include <memory>
#include <mutex>

#include "kfpevents/config.hpp"
#include "nats/nats.hpp"

namespace kfpevents::nats {
namespace {

std::string StatusText(natsStatus status) {
  const char* last = nats_GetLastError(nullptr);
  return std::string(natsStatus_GetText(status)) +
         (last != nullptr && last[0] != '\0' ? std::string(": ") + last : "");
}

DeliveryResult Retry(std::string detail) {
  return {DeliveryOutcome::kRetryable, std::move(detail), 0, std::nullopt};
}

DeliveryResult Permanent(std::string detail) {
  return {DeliveryOutcome::kPermanent, std::move(detail), 0, std::nullopt};
}

// A connection and its JetStream context, destroyed when the last publish using it is done.
struct Connection {
  natsConnection* connection = nullptr;
  jsCtx* jetstream = nullptr;
  ~Connection() {
    if (jetstream != nullptr) jsCtx_Destroy(jetstream);
    if (connection != nullptr) natsConnection_Destroy(connection);
  }
};

class NatsSubscriber final : public Subscriber {
 public:
  explicit NatsSubscriber(NatsOptions options) : options_(std::move(options)) {}

  // The client is thread-safe: with `concurrency`, that many publishes wait for their
  // acknowledgements at once on one connection.
  int MaxConcurrentDeliveries() const override { return kMaxConcurrency; }

  DeliveryResult Deliver(const Message& message, std::stop_token stop) override {
    if (stop.stop_requested()) return Retry("cancelled: shutting down");
    if (message.destination.empty()) return Permanent("the message names no subject");
    Result<std::shared_ptr<Connection>> connected = Connected();
    if (!connected) return Retry(connected.error().message());
    const std::shared_ptr<Connection> current = std::move(*connected);
    natsMsg* msg = nullptr;
    natsStatus status = natsMsg_Create(&msg, message.destination.c_str(), nullptr,
                                       message.body.data(), static_cast<int>(message.body.size()));
    if (status == NATS_INVALID_SUBJECT) {
      return Permanent("\"" + message.destination + "\" is not a valid subject");
    }
    if (status != NATS_OK) return Retry("cannot make the message: " + StatusText(status));
    natsMsgHeader_Set(msg, "Nats-Msg-Id", message.id.c_str());
    if (!message.content_type.empty()) {
      natsMsgHeader_Set(msg, "Content-Type", message.content_type.c_str());
    }
    for (const auto& [name, value] : message.headers) {
      natsMsgHeader_Set(msg, name.c_str(), value.c_str());
    }
    jsPubOptions publish;
    jsPubOptions_Init(&publish);
    publish.MaxWait = options_.timeout.count();
    if (!options_.stream.empty()) publish.ExpectStream = options_.stream.c_str();
    jsPubAck* ack = nullptr;
    jsErrCode error_code = static_cast<jsErrCode>(0);
    status = js_PublishMsg(&ack, current->jetstream, msg, &publish, &error_code);
    natsMsg_Destroy(msg);
    if (status == NATS_OK) {
      const std::string detail = ack->Duplicate ? "already stored (a duplicate)" : "";
      jsPubAck_Destroy(ack);
      return {DeliveryOutcome::kDelivered, detail, 0, std::nullopt};
    }
    if (status == NATS_CONNECTION_CLOSED) Forget(current);
    return Classify(status, error_code, message.destination);
  }

 private:
  // The live connection, made on first use and again once the last one was closed for good (the
  // client reconnects on its own until then).
  Result<std::shared_ptr<Connection>> Connected() {
    std::lock_guard lock(mutex_);
    if (connection_ && natsConnection_IsClosed(connection_->connection)) connection_.reset();
    if (!connection_) {
      Result<std::shared_ptr<Connection>> made = Connect();
      if (!made) return made.error();
      connection_ = std::move(*made);
    }
    return connection_;
  }

  void Forget(const std::shared_ptr<Connection>& closed) {
    std::lock_guard lock(mutex_);
    if (connection_ == closed) connection_.reset();
  }

  DeliveryResult Classify(natsStatus status, jsErrCode error_code, const std::string& subject) {
    const std::string text = StatusText(status);
    if (error_code == JSStreamNotMatchErr) {
      return Permanent("subject " + subject + " is not stored by stream " + options_.stream);
    }
    if (status == NATS_MAX_PAYLOAD || error_code == JSStreamMessageExceedsMaximumErr) {
      return Permanent("the message is larger than the server or stream accepts (" + text + ")");
    }
    if (status == NATS_NO_RESPONDERS) {
      return Retry("no JetStream stream takes subject " + subject +
                   " (is JetStream on, and a stream configured for it?)");
    }
    if (status == NATS_TIMEOUT) {
      return Retry("no acknowledgement within " + std::to_string(options_.timeout.count()) +
                   " ms (" + text + ")");
    }
    return Retry("publish to " + subject + " failed: " + text +
                 (error_code != 0 ? " (JetStream error " + std::to_string(error_code) + ")" : ""));
  }

  Result<std::shared_ptr<Connection>> Connect() {
    natsOptions* options = nullptr;
    natsStatus status = natsOptions_Create(&options);
    const auto set = [&](natsStatus next) {
      if (status == NATS_OK) status = next;
    };
    set(natsOptions_SetURL(options, options_.servers.c_str()));
    set(natsOptions_SetName(options, ("kfp-eventd/" + options_.name).c_str()));
    set(natsOptions_SetTimeout(options, options_.timeout.count()));
    // Once connected, the client reconnects on its own, for as long as it takes; until it has,
    // publishes wait for their acknowledgement and time out, and the outbox retries them.
    set(natsOptions_SetMaxReconnect(options, -1));
    set(natsOptions_SetReconnectWait(options, 500));
    if (!options_.credentials_file.empty()) {
      set(natsOptions_SetUserCredentialsFromFiles(options, options_.credentials_file.c_str(),
                                                  nullptr));
    }
    if (!options_.nkey_seed_file.empty()) {
      set(natsOptions_SetNKeyFromSeed(options, options_.nkey.c_str(),
                                      options_.nkey_seed_file.c_str()));
    }
    if (!options_.username.empty()) {
      set(natsOptions_SetUserInfo(options, options_.username.c_str(), options_.password.c_str()));
    }
    if (!options_.ca_file.empty()) {
      set(natsOptions_SetSecure(options, true));
      set(natsOptions_LoadCATrustedCertificates(options, options_.ca_file.c_str()));
    }
    auto made = std::make_shared<Connection>();
    if (status == NATS_OK) status = natsConnection_Connect(&made->connection, options);
    natsOptions_Destroy(options);
    if (status == NATS_OK) {
      status = natsConnection_JetStream(&made->jetstream, made->connection, nullptr);
    }
    if (status == NATS_OK) return made;
    return Status::Unavailable("cannot connect to NATS at " + options_.servers + ": " +
                               StatusText(status));
  }

  const NatsOptions options_;
  std::mutex mutex_;
  std::shared_ptr<Connection> connection_;  // guarded by mutex_
};

bool IsNatsUrl(const std::string& url) {
  return url.rfind("nats://", 0) == 0 || url.rfind("tls://", 0) == 0;
}

}  // namespace

Result<std::unique_ptr<Subscriber>> MakeNatsSubscriber(NatsOptions options) {
  std::size_t start = 0;
  while (start <= options.servers.size()) {
    const std::size_t comma = options.servers.find(',', start);
    const std::string url = options.servers.substr(
        start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!IsNatsUrl(url)) {
      return Status::InvalidArgument("url must be nats://host:port or tls://host:port (several "
                                     "separated by commas), not \"" + url + "\"");
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (!options.nkey_seed_file.empty() && options.nkey.empty()) {
    return Status::InvalidArgument("an NKey seed file needs `nkey`, the user's public key");
  }
  if (!options.credentials_file.empty() && !options.nkey_seed_file.empty()) {
    return Status::InvalidArgument("give a credentials file or an NKey, not both");
  }
  return std::unique_ptr<Subscriber>(std::make_unique<NatsSubscriber>(std::move(options)));
}

}  // namespace kfpevents::nats
