#include "kube/token_source.hpp"

#include "core/files.hpp"
#include "core/strings.hpp"

namespace kfpevents::kube {

TokenSource::TokenSource(std::string token, std::string token_file,
                         std::chrono::seconds refresh_every)
    : token_(std::move(token)), token_file_(std::move(token_file)), refresh_every_(refresh_every) {
  if (!token_file_.empty()) ReadLocked();
}

std::string TokenSource::Current() {
  std::lock_guard lock(mutex_);
  if (!token_file_.empty() && std::chrono::steady_clock::now() - read_at_ >= refresh_every_) {
    ReadLocked();
  }
  return token_;
}

bool TokenSource::Refresh() {
  std::lock_guard lock(mutex_);
  if (token_file_.empty()) return false;
  ReadLocked();
  return true;
}

void TokenSource::ReadLocked() {
  read_at_ = std::chrono::steady_clock::now();
  // A failed read (the kubelet swapping the file) keeps the previous token until the next try.
  if (Result<std::string> text = ReadFile(token_file_, "token file")) {
    token_ = std::string(Trim(*text));
  }
}

}  // namespace kfpevents::kube
