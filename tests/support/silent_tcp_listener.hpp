// A TCP port on 127.0.0.1 that accepts connections (through the kernel's backlog) but never
// reads or answers: a server that hangs.
#pragma once

namespace kfpevents::testing {

class SilentTcpListener {
 public:
  SilentTcpListener();
  ~SilentTcpListener();
  SilentTcpListener(const SilentTcpListener&) = delete;
  SilentTcpListener& operator=(const SilentTcpListener&) = delete;
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// A loopback port with nothing listening on it (connections are refused).
int UnusedLoopbackPort();

}  // namespace kfpevents::testing
