#include "http/curl_handle.hpp"

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

}  // namespace kfpevents::http
