// /healthz, /readyz and /metrics on cpp-httplib: a fixed pool of workers, so that a slow or idle
// client holds one worker and never the probes, and short deadlines on every connection.
#include <httplib.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "core/thread_name.hpp"
#include "kfpevents/health.hpp"

namespace kfpevents {
namespace {

// Probes and scrapes come a few a minute, each one request on its own connection. More workers
// than slow clients a misbehaving neighbour is likely to hold open; each costs a thread.
constexpr int kWorkers = 16;
// A probe's request arrives in one packet: a connection that sends nothing for a second, or takes
// longer to take its answer, is dropped. The kubelet's own probe timeout is one second.
constexpr std::chrono::seconds kReadTimeout{1};
constexpr std::chrono::seconds kWriteTimeout{2};
// Connections that send nothing at all within this are never handed to a worker (the kernel
// holds them: TCP_DEFER_ACCEPT).
constexpr int kDeferAcceptSeconds = 1;

struct HostPort {
  std::string host;  // "" for every interface
  std::string port;
};

Result<HostPort> SplitAddress(const std::string& address) {
  const std::size_t colon = address.rfind(':');
  if (colon == std::string::npos || colon + 1 == address.size()) {
    return Status::InvalidArgument("address \"" + address +
                                   "\" is not host:port, :port or [v6]:port");
  }
  HostPort out{address.substr(0, colon), address.substr(colon + 1)};
  if (out.host.size() >= 2 && out.host.front() == '[' && out.host.back() == ']') {
    out.host = out.host.substr(1, out.host.size() - 2);
  }
  for (const char c : out.port) {
    if (c < '0' || c > '9') {
      return Status::InvalidArgument("address \"" + address + "\": port \"" + out.port +
                                     "\" is not a number");
    }
  }
  return out;
}

// Why `host`:`port` cannot be listened on, as the system says it (httplib only says that it
// could not): kInvalidArgument for a host that is no address, else kUnavailable.
Status WhyCannotListen(const std::string& address, const std::string& host,
                       const std::string& port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (const int resolved = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &found);
      resolved != 0) {
    return Status::InvalidArgument("address \"" + address + "\": " + ::gai_strerror(resolved));
  }
  std::string why = "no usable address";
  for (addrinfo* candidate = found; candidate != nullptr; candidate = candidate->ai_next) {
    const int fd = ::socket(candidate->ai_family, candidate->ai_socktype | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      why = std::strerror(errno);
      continue;
    }
    if (::bind(fd, candidate->ai_addr, candidate->ai_addrlen) != 0) why = std::strerror(errno);
    ::close(fd);
  }
  ::freeaddrinfo(found);
  return Status::Unavailable("cannot listen on " + address + ": " + why);
}

// The listening socket's options: reuse the port at once after a restart, take IPv4 on an IPv6
// socket (every interface), and leave connections that have sent nothing with the kernel.
void ListenerOptions(socket_t fd) {
  const int on = 1;
  const int off = 0;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
  ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));  // fails harmlessly on IPv4
  ::setsockopt(fd, IPPROTO_TCP, TCP_DEFER_ACCEPT, &kDeferAcceptSeconds,
               sizeof(kDeferAcceptSeconds));
}

void Text(httplib::Response& response, int status, const std::string& body) {
  response.status = status;
  response.set_header("Cache-Control", "no-store");
  response.set_content(body, "text/plain; charset=utf-8");
}

class HttplibHealthServer final : public HealthServer {
 public:
  explicit HttplibHealthServer(HealthServerOptions options) : options_(std::move(options)) {
    server_.new_task_queue = [] { return new httplib::ThreadPool(kWorkers); };
    server_.set_socket_options(ListenerOptions);
    server_.set_keep_alive_max_count(1);
    server_.set_read_timeout(kReadTimeout);
    server_.set_write_timeout(kWriteTimeout);
    server_.set_payload_max_length(4096);
    server_.Get("/healthz", [](const httplib::Request&, httplib::Response& response) {
      Text(response, 200, "ok\n");
    });
    server_.Get("/livez", [](const httplib::Request&, httplib::Response& response) {
      Text(response, 200, "ok\n");
    });
    server_.Get("/readyz", [this](const httplib::Request&, httplib::Response& response) {
      if (!options_.readiness) return Text(response, 200, "ok\n");
      Text(response, options_.readiness->Ready() ? 200 : 503, options_.readiness->Report());
    });
    server_.Get("/metrics", [this](const httplib::Request&, httplib::Response& response) {
      if (!options_.metrics) return NotFound(response);
      response.set_header("Cache-Control", "no-store");
      response.set_content(options_.metrics->Render(), kPrometheusContentType);
    });
    // Every other method on these paths: 405 with what is allowed; other paths: 404.
    const auto not_allowed = [](const httplib::Request& request, httplib::Response& response) {
      if (!IsOurs(request.path)) return NotFound(response);
      response.set_header("Allow", "GET, HEAD");
      Text(response, 405, "only GET and HEAD\n");
    };
    for (const char* path : {"/healthz", "/livez", "/readyz", "/metrics"}) {
      server_.Post(path, not_allowed);
      server_.Put(path, not_allowed);
      server_.Delete(path, not_allowed);
      server_.Patch(path, not_allowed);
      server_.Options(path, not_allowed);
    }
    server_.set_error_handler([](const httplib::Request&, httplib::Response& response) {
      if (response.status == 404) NotFound(response);
    });
  }

  ~HttplibHealthServer() override {
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }

  // Binds `host`:`port` ("" host: every interface); the port bound, or an error.
  Result<int> Bind(const std::string& address, const HostPort& where) {
    const std::string host = where.host.empty() ? "::" : where.host;
    const int port = std::stoi(where.port);
    const bool bound = port == 0 ? (port_ = server_.bind_to_any_port(host)) > 0
                                 : server_.bind_to_port(host, (port_ = port));
    if (!bound && where.host.empty()) {
      // No IPv6 in this kernel: every IPv4 interface then.
      const bool v4 = port == 0 ? (port_ = server_.bind_to_any_port("0.0.0.0")) > 0
                                : server_.bind_to_port("0.0.0.0", port);
      if (v4) {
        bound_ = "0.0.0.0:" + std::to_string(port_);
        return port_;
      }
    }
    if (!bound) return WhyCannotListen(address, host, where.port);
    const bool v6 = host.find(':') != std::string::npos;
    bound_ = (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port_);
    return port_;
  }

  void Serve() {
    thread_ = std::thread([this] {
      NameThisThread("kfp-health");
      server_.listen_after_bind();
    });
    // httplib's stop() does nothing before the loop runs: wait for it, so that a server stopped
    // at once is stopped for good.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!server_.is_running() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }

  std::string address() const override { return bound_; }

 private:
  static bool IsOurs(const std::string& path) {
    return path == "/healthz" || path == "/livez" || path == "/readyz" || path == "/metrics";
  }
  static void NotFound(httplib::Response& response) {
    Text(response, 404, "not found; try /healthz, /readyz or /metrics\n");
  }

  const HealthServerOptions options_;
  httplib::Server server_;
  int port_ = 0;
  std::string bound_;
  std::thread thread_;
};

}  // namespace

HealthServer::~HealthServer() = default;

Result<std::unique_ptr<HealthServer>> StartHealthServer(HealthServerOptions options) {
  Result<HostPort> where = SplitAddress(options.address);
  if (!where) return where.error();
  const std::string address = options.address;
  auto server = std::make_unique<HttplibHealthServer>(std::move(options));
  Result<int> port = server->Bind(address, *where);
  if (!port) return port.error();
  server->Serve();
  return std::unique_ptr<HealthServer>(std::move(server));
}

}  // namespace kfpevents
