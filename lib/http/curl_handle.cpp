#include "http/curl_handle.hpp"

#include <algorithm>
#include <string>

namespace kfpevents::http {

void EnsureCurlInitialized() {
  static const CURLcode kInitialized = curl_global_init(CURL_GLOBAL_DEFAULT);
  (void)kInitialized;
}

EasyHandle MakeEasyHandle() {
  EnsureCurlInitialized();
  return EasyHandle(curl_easy_init());
}

bool AppendHeader(HeaderList& list, const std::string& name, const std::string& value) {
  // "Name;" is curl's way to send a header with an empty value.
  const std::string line = value.empty() ? name + ";" : name + ": " + value;
  curl_slist* appended = curl_slist_append(list.get(), line.c_str());
  if (appended == nullptr) return false;
  (void)list.release();
  list.reset(appended);
  return true;
}

std::size_t CappedBody::Append(const char* data, std::size_t bytes) {
  if (text.size() + bytes > max) {
    overflowed = true;
    return 0;
  }
  text.append(data, bytes);
  return bytes;
}

void CappedBody::Expect(std::size_t length) { text.reserve(std::min(length, max) + 64); }

int AbortWhenStopped(void* stop_token, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<const std::stop_token*>(stop_token)->stop_requested() ? 1 : 0;
}

}  // namespace kfpevents::http
