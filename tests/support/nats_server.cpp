#include "support/nats_server.hpp"

#include <nats/nats.h>
#include <signal.h>

#include <regex>
#include <stdexcept>
#include <thread>

namespace kfpevents::testing {
namespace {

// A connection and JetStream context for one admin call; throws when the server is not there.
struct Admin {
  Admin(const std::string& url, const NatsServerOptions& server) {
    natsOptions* options = nullptr;
    natsOptions_Create(&options);
    natsOptions_SetURL(options, url.c_str());
    if (!server.user.empty()) {
      natsOptions_SetUserInfo(options, server.user.c_str(), server.password.c_str());
    }
    if (!server.tls_cert.empty()) {
      natsOptions_SetSecure(options, true);
      natsOptions_LoadCATrustedCertificates(options, server.ca_cert.c_str());
    }
    const natsStatus status = natsConnection_Connect(&connection, options);
    natsOptions_Destroy(options);
    if (status != NATS_OK || natsConnection_JetStream(&js, connection, nullptr) != NATS_OK) {
      throw std::runtime_error("cannot reach nats-server at " + url);
    }
  }
  ~Admin() {
    jsCtx_Destroy(js);
    natsConnection_Destroy(connection);
  }
  natsConnection* connection = nullptr;
  jsCtx* js = nullptr;
};

}  // namespace

NatsServer::NatsServer(std::string store_dir, NatsServerOptions options)
    : store_dir_(std::move(store_dir)), options_(std::move(options)) {
  Start();
}

NatsServer::~NatsServer() {
  if (process_) process_->Stop(SIGTERM, std::chrono::seconds(5));
}

std::string NatsServer::Url() const {
  return (options_.tls_cert.empty() ? "nats://" : "tls://") + std::string("127.0.0.1:") +
         std::to_string(port_);
}

void NatsServer::Start() {
  // -1: a random free port the first time (the server logs it); the same one after a restart.
  std::vector<std::string> argv = {NATS_SERVER_BINARY, "--jetstream", "--store_dir", store_dir_,
                                   "--addr", "127.0.0.1", "--port", std::to_string(port_)};
  if (!options_.user.empty()) argv.insert(argv.end(), {"--user", options_.user, "--pass", options_.password});
  if (!options_.tls_cert.empty()) {
    argv.insert(argv.end(), {"--tls", "--tlscert", options_.tls_cert, "--tlskey", options_.tls_key});
  }
  process_ = std::make_unique<BackgroundProcess>(argv);
  if (!process_->WaitForStderr("Server is ready", std::chrono::seconds(20))) {
    throw std::runtime_error("nats-server did not start: " + process_->Stderr());
  }
  std::smatch match;
  const std::string log = process_->Stderr();
  if (port_ == -1 &&
      std::regex_search(log, match, std::regex(R"(client connections on 127\.0\.0\.1:(\d+))"))) {
    port_ = std::stoi(match[1].str());
  }
}

void NatsServer::Kill() {
  process_->Stop(SIGKILL, std::chrono::seconds(5));
  process_.reset();
}

void NatsServer::AddStream(const std::string& name, const std::string& subjects,
                           std::chrono::seconds duplicate_window) {
  Admin admin(Url(), options_);
  jsStreamConfig config;
  jsStreamConfig_Init(&config);
  config.Name = name.c_str();
  const char* subject_list[] = {subjects.c_str()};
  config.Subjects = subject_list;
  config.SubjectsLen = 1;
  config.Storage = js_FileStorage;
  config.Duplicates = std::chrono::duration_cast<std::chrono::nanoseconds>(duplicate_window).count();
  jsStreamInfo* info = nullptr;
  jsErrCode error = static_cast<jsErrCode>(0);
  if (js_AddStream(&info, admin.js, &config, nullptr, &error) != NATS_OK) {
    throw std::runtime_error("cannot add stream " + name + ": JetStream error " +
                             std::to_string(error));
  }
  jsStreamInfo_Destroy(info);
}

std::vector<StoredMessage> NatsServer::Messages(const std::string& stream) const {
  // A consumer of the whole stream from its start, as a subscriber of the fleet's stream would
  // read it; done when nothing more comes within half a second.
  Admin admin(Url(), options_);
  jsSubOptions options;
  jsSubOptions_Init(&options);
  options.Stream = stream.c_str();
  options.Config.DeliverPolicy = js_DeliverAll;
  options.Config.AckPolicy = js_AckNone;
  natsSubscription* subscription = nullptr;
  jsErrCode error = static_cast<jsErrCode>(0);
  if (js_SubscribeSync(&subscription, admin.js, ">", nullptr, &options, &error) != NATS_OK) {
    throw std::runtime_error("cannot consume stream " + stream + ": JetStream error " +
                             std::to_string(error));
  }
  std::vector<StoredMessage> out;
  natsMsg* msg = nullptr;
  while (natsSubscription_NextMsg(&msg, subscription, 500) == NATS_OK) {
    const char* id = nullptr;
    natsMsgHeader_Get(msg, "Nats-Msg-Id", &id);
    out.push_back({natsMsg_GetSubject(msg), id != nullptr ? id : "",
                   std::string(natsMsg_GetData(msg), natsMsg_GetDataLength(msg))});
    natsMsg_Destroy(msg);
  }
  natsSubscription_Unsubscribe(subscription);
  natsSubscription_Destroy(subscription);
  return out;
}

}  // namespace kfpevents::testing
