#include "support/smtp_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace kfpevents::testing {
namespace {

void Send(int fd, const std::string& line) {
  const std::string out = line + "\r\n";
  [[maybe_unused]] const ssize_t sent = ::send(fd, out.data(), out.size(), MSG_NOSIGNAL);
}

// The address inside <...> of "MAIL FROM:<a@b>" or "RCPT TO:<a@b>".
std::string Address(const std::string& line) {
  const std::size_t open = line.find('<');
  const std::size_t close = line.find('>', open);
  return open == std::string::npos || close == std::string::npos
             ? std::string()
             : line.substr(open + 1, close - open - 1);
}

}  // namespace

SmtpServer::SmtpServer() {
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      ::listen(listener_, 8) != 0 ||
      ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw std::runtime_error("cannot listen on a loopback port");
  }
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this] { Serve(); });
}

SmtpServer::~SmtpServer() {
  stopping_ = true;
  ::shutdown(listener_, SHUT_RDWR);
  ::close(listener_);
  thread_.join();
}

std::string SmtpServer::Url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

void SmtpServer::ReplyToRecipients(int code) { rcpt_reply_ = code; }

std::vector<ReceivedMail> SmtpServer::Mails() const {
  std::lock_guard lock(mutex_);
  return mails_;
}

void SmtpServer::Serve() {
  while (!stopping_) {
    pollfd ready{listener_, POLLIN, 0};
    if (::poll(&ready, 1, 100) <= 0) continue;
    const int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    Session(fd);  // one client at a time: the subscriber sends one message at a time
    ::close(fd);
  }
}

void SmtpServer::Session(int fd) {
  Send(fd, "220 kfp-eventd-test ESMTP");
  ReceivedMail mail;
  std::string buffer;
  bool in_data = false;
  for (;;) {
    const std::size_t end = buffer.find("\r\n");
    if (end == std::string::npos) {
      char chunk[4096];
      pollfd ready{fd, POLLIN, 0};
      if (::poll(&ready, 1, 5000) <= 0) return;
      const ssize_t got = ::recv(fd, chunk, sizeof(chunk), 0);
      if (got <= 0) return;
      buffer.append(chunk, static_cast<std::size_t>(got));
      continue;
    }
    std::string line = buffer.substr(0, end);
    buffer.erase(0, end + 2);
    if (in_data) {
      if (line == ".") {
        in_data = false;
        {
          std::lock_guard lock(mutex_);
          mails_.push_back(mail);
        }
        mail = {};
        Send(fd, "250 2.0.0 queued");
      } else {
        mail.data += (line.rfind("..", 0) == 0 ? line.substr(1) : line) + "\r\n";
      }
      continue;
    }
    const std::string verb = line.substr(0, 4);
    if (verb == "EHLO" || verb == "HELO") {
      Send(fd, "250 kfp-eventd-test");
    } else if (verb == "MAIL") {
      mail.from = Address(line);
      Send(fd, "250 2.1.0 ok");
    } else if (verb == "RCPT") {
      const int code = rcpt_reply_;
      if (code == 250) mail.to.push_back(Address(line));
      Send(fd, std::to_string(code) + (code == 250 ? " 2.1.5 ok" : " mailbox unavailable"));
    } else if (verb == "DATA") {
      in_data = true;
      Send(fd, "354 end data with <CR><LF>.<CR><LF>");
    } else if (verb == "QUIT") {
      Send(fd, "221 2.0.0 bye");
      return;
    } else if (verb == "RSET" || verb == "NOOP") {
      Send(fd, "250 ok");
    } else {
      Send(fd, "502 5.5.2 not implemented");
    }
  }
}

}  // namespace kfpevents::testing
