// RAII for libcurl easy handles and header lists; curl_global_init done once, thread-safely.
#pragma once

#include <curl/curl.h>

#include <memory>

namespace kfpevents::http {

// Runs curl_global_init exactly once per process (a function-local static), before any handle.
void EnsureCurlInitialized();

struct EasyDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using HeaderList = std::unique_ptr<curl_slist, SlistDeleter>;

// A new easy handle (initializing libcurl first); null only when out of memory.
EasyHandle MakeEasyHandle();

// Appends "Name: value" to `list`; false when out of memory.
bool AppendHeader(HeaderList& list, const std::string& name, const std::string& value);

}  // namespace kfpevents::http
