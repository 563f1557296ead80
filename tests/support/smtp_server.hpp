// A small SMTP server on 127.0.0.1 for the email subscriber's tests: EHLO, MAIL FROM, RCPT TO,
// DATA, QUIT, each answered as RFC 5321 says, and every message kept. No TLS: the tests send
// with `starttls: false`.
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace kfpevents::testing {

struct ReceivedMail {
  std::string from;
  std::vector<std::string> to;
  std::string data;  // the message as sent, dot-stuffing undone, without the final "."
};

class SmtpServer {
 public:
  SmtpServer();
  ~SmtpServer();
  SmtpServer(const SmtpServer&) = delete;
  SmtpServer& operator=(const SmtpServer&) = delete;

  std::string Url() const;  // smtp://127.0.0.1:PORT
  // The reply to RCPT TO: 250 by default; 450 (try later) or 550 (refused) to test failures.
  void ReplyToRecipients(int code);
  std::vector<ReceivedMail> Mails() const;

 private:
  void Serve();
  void Session(int fd);

  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> rcpt_reply_{250};
  mutable std::mutex mutex_;
  std::vector<ReceivedMail> mails_;
  std::thread thread_;
};

}  // namespace kfpevents::testing
