// A deliberately small HTTP/1.1 server: GET of three fixed paths, one connection at a time,
// `Connection: close`. Scrapes and probes are a few requests a minute; a full server library
// would be more code to trust than this.
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "kfpevents/health.hpp"

namespace kfpevents {
namespace {

constexpr std::size_t kMaxRequestBytes = 8192;
constexpr std::chrono::milliseconds kClientTimeout{5000};

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      Reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  ~Fd() { Reset(); }
  int get() const { return fd_; }
  void Reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

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

std::string AddressText(const sockaddr_storage& storage, socklen_t length) {
  char host[NI_MAXHOST];
  char port[NI_MAXSERV];
  if (getnameinfo(reinterpret_cast<const sockaddr*>(&storage), length, host, sizeof(host), port,
                  sizeof(port), NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
    return "?";
  }
  const bool v6 = storage.ss_family == AF_INET6;
  return (v6 ? "[" : "") + std::string(host) + (v6 ? "]:" : ":") + port;
}

struct Response {
  int status = 200;
  std::string content_type;
  std::string body;
  std::string allow;  // for 405
};

// A plain-text answer, as every path but /metrics gives.
Response Text(int status, std::string body, std::string allow = "") {
  return {status, "text/plain; charset=utf-8", std::move(body), std::move(allow)};
}

const char* StatusText(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 503:
      return "Service Unavailable";
    default:
      return "Error";
  }
}

class SocketHealthServer final : public HealthServer {
 public:
  SocketHealthServer(HealthServerOptions options, Fd listener, Fd wake, std::string bound)
      : options_(std::move(options)),
        listener_(std::move(listener)),
        wake_(std::move(wake)),
        bound_(std::move(bound)) {
    thread_ = std::thread([this] { Serve(); });
  }

  ~SocketHealthServer() override {
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t written = ::write(wake_.get(), &one, sizeof(one));
    thread_.join();
  }

  std::string address() const override { return bound_; }

 private:
  // Waits for `fd` to be ready for `events`; false on stop, timeout or error.
  bool WaitFor(int fd, short events, std::chrono::steady_clock::time_point deadline) const {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd fds[2] = {{fd, events, 0}, {wake_.get(), POLLIN, 0}};
    const int ready = ::poll(fds, 2, static_cast<int>(left.count()));
    return ready > 0 && fds[1].revents == 0 && fds[0].revents != 0;
  }

  void Serve() {
    for (;;) {
      pollfd fds[2] = {{listener_.get(), POLLIN, 0}, {wake_.get(), POLLIN, 0}};
      if (::poll(fds, 2, -1) < 0) {
        if (errno == EINTR) continue;
        return;
      }
      if (fds[1].revents != 0) return;
      Fd client(::accept4(listener_.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
      if (client.get() < 0) continue;
      HandleConnection(client.get());
    }
  }

  void HandleConnection(int fd) const {
    const auto deadline = std::chrono::steady_clock::now() + kClientTimeout;
    std::string request;
    char buffer[2048];
    while (request.find("\r\n\r\n") == std::string::npos) {
      if (request.size() > kMaxRequestBytes || !WaitFor(fd, POLLIN, deadline)) return;
      const ssize_t got = ::recv(fd, buffer, sizeof(buffer), 0);
      if (got < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      if (got <= 0) return;
      request.append(buffer, static_cast<std::size_t>(got));
    }
    const std::string line = request.substr(0, request.find("\r\n"));
    const std::size_t first = line.find(' ');
    const std::size_t second = line.find(' ', first + 1);
    if (first == std::string::npos || second == std::string::npos) {
      Send(fd, Text(400, "malformed request line\n"), false, deadline);
      return;
    }
    const std::string method = line.substr(0, first);
    std::string path = line.substr(first + 1, second - first - 1);
    path = path.substr(0, path.find('?'));
    const bool head = method == "HEAD";
    if (method != "GET" && !head) {
      Send(fd, Text(405, "only GET and HEAD\n", "GET, HEAD"), false, deadline);
      return;
    }
    Send(fd, Answer(path), head, deadline);
  }

  Response Answer(const std::string& path) const {
    if (path == "/healthz" || path == "/livez") return Text(200, "ok\n");
    if (path == "/readyz") {
      if (!options_.readiness) return Text(200, "ok\n");
      return Text(options_.readiness->Ready() ? 200 : 503, options_.readiness->Report());
    }
    if (path == "/metrics" && options_.metrics) {
      return {200, kPrometheusContentType, options_.metrics->Render(), ""};
    }
    return Text(404, "not found; try /healthz, /readyz or /metrics\n");
  }

  void Send(int fd, const Response& response, bool head,
            std::chrono::steady_clock::time_point deadline) const {
    std::string out = "HTTP/1.1 " + std::to_string(response.status) + ' ' +
                      StatusText(response.status) + "\r\nContent-Type: " + response.content_type +
                      "\r\nContent-Length: " + std::to_string(response.body.size()) +
                      "\r\nCache-Control: no-store\r\nConnection: close\r\n";
    if (!response.allow.empty()) out += "Allow: " + response.allow + "\r\n";
    out += "\r\n";
    if (!head) out += response.body;
    std::size_t sent = 0;
    while (sent < out.size()) {
      const ssize_t n = ::send(fd, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
      if (n > 0) {
        sent += static_cast<std::size_t>(n);
      } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
        if (!WaitFor(fd, POLLOUT, deadline)) return;
      } else {
        return;
      }
    }
    ::shutdown(fd, SHUT_WR);
  }

  const HealthServerOptions options_;
  Fd listener_;
  Fd wake_;
  const std::string bound_;
  std::thread thread_;
};

}  // namespace

HealthServer::~HealthServer() = default;

namespace {

struct Listener {
  Fd fd;
  sockaddr_storage bound{};
  socklen_t bound_length = sizeof(sockaddr_storage);
  std::string why;            // when fd is not open
  bool unresolvable = false;  // the host is no address or name
};

// Listens on the first address `host` resolves to that accepts. `dual_stack`: an IPv6 socket
// that takes IPv4 connections too.
Listener Listen(const std::string& host, const std::string& port, bool dual_stack) {
  Listener out;
  out.why = "no usable address";
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (const int resolved = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &found);
      resolved != 0) {
    out.why = ::gai_strerror(resolved);
    out.unresolvable = true;
    return out;
  }
  for (addrinfo* candidate = found; candidate != nullptr; candidate = candidate->ai_next) {
    Fd fd(::socket(candidate->ai_family, candidate->ai_socktype | SOCK_CLOEXEC,
                   candidate->ai_protocol));
    if (fd.get() < 0) {
      out.why = std::strerror(errno);
      continue;
    }
    const int on = 1;
    const int off = 0;
    ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
    if (dual_stack && candidate->ai_family == AF_INET6) {
      ::setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
    }
    if (::bind(fd.get(), candidate->ai_addr, candidate->ai_addrlen) != 0 ||
        ::listen(fd.get(), 16) != 0) {
      out.why = std::strerror(errno);
      continue;
    }
    ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&out.bound), &out.bound_length);
    out.fd = std::move(fd);
    break;
  }
  ::freeaddrinfo(found);
  return out;
}

}  // namespace

Result<std::unique_ptr<HealthServer>> HealthServer::Start(HealthServerOptions options) {
  Result<HostPort> split = SplitAddress(options.address);
  if (!split) return split.error();
  Listener listener;
  if (split->host.empty()) {
    // Every interface: IPv6 and IPv4 on one socket where the kernel has IPv6, else IPv4.
    listener = Listen("::", split->port, /*dual_stack=*/true);
    if (listener.fd.get() < 0 && listener.why != std::strerror(EADDRINUSE)) {
      listener = Listen("0.0.0.0", split->port, /*dual_stack=*/false);
    }
  } else {
    listener = Listen(split->host, split->port, /*dual_stack=*/false);
  }
  if (listener.fd.get() < 0) {
    if (listener.unresolvable) {
      return Status::InvalidArgument("address \"" + options.address + "\": " + listener.why);
    }
    return Status::Unavailable("cannot listen on " + options.address + ": " + listener.why);
  }
  Fd wake(::eventfd(0, EFD_CLOEXEC));
  if (wake.get() < 0) return Status::Internal(std::string("eventfd: ") + std::strerror(errno));
  std::string address = AddressText(listener.bound, listener.bound_length);
  return std::unique_ptr<HealthServer>(std::make_unique<SocketHealthServer>(
      std::move(options), std::move(listener.fd), std::move(wake), std::move(address)));
}

}  // namespace kfpevents
