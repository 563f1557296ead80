#include "support/silent_tcp_listener.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace kfpevents::testing {
namespace {

// A bound (not yet listening) loopback socket on a free port.
int BindLoopback(int& port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    close(fd);
    throw std::runtime_error("bind() failed");
  }
  socklen_t length = sizeof(address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  port = ntohs(address.sin_port);
  return fd;
}

}  // namespace

SilentTcpListener::SilentTcpListener() {
  fd_ = BindLoopback(port_);
  if (listen(fd_, 16) != 0) {
    close(fd_);
    throw std::runtime_error("listen() failed");
  }
}

SilentTcpListener::~SilentTcpListener() { close(fd_); }

int UnusedLoopbackPort() {
  // Bound but never listening: the port stays reserved for this process and refuses connections.
  // The socket is leaked on purpose so that no other test can take the port.
  int port = 0;
  BindLoopback(port);
  return port;
}

}  // namespace kfpevents::testing
