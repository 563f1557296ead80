// RAII for libcurl easy handles and header lists; curl_global_init done once, thread-safely.
#pragma once

#include <curl/curl.h>

#include <cstddef>
#include <memory>
#include <stop_token>
#include <string>

#include "kfpevents/curl_transfer.hpp"

namespace kfpevents::http {

// Runs curl_global_init exactly once per process (a function-local static), before any handle.
void EnsureCurlInitialized();

using EasyHandle = CurlEasy;

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using HeaderList = std::unique_ptr<curl_slist, SlistDeleter>;

// A new easy handle (initializing libcurl first); null only when out of memory.
EasyHandle MakeEasyHandle();

// Appends "Name: value" to `list`; false when out of memory.
bool AppendHeader(HeaderList& list, const std::string& name, const std::string& value);

// A response body kept up to `max` bytes, for error details and API answers.
struct CappedBody {
  std::size_t max = 0;
  std::string text;
  bool overflowed = false;

  // For a CURLOPT_WRITEFUNCTION: the bytes taken, 0 (which makes curl stop with
  // CURLE_WRITE_ERROR) once the body would grow beyond `max`.
  std::size_t Append(const char* data, std::size_t bytes);
  // Reserves room for a body of `length` bytes (its Content-Length, up to `max`) and 64 more:
  // the body then never moves while it grows, and an on-demand JSON reader, which reads a little
  // past a text's end, can read it in place (json/on_demand.hpp).
  void Expect(std::size_t length);
};

// A CURLOPT_XFERINFOFUNCTION that aborts the transfer (CURLE_ABORTED_BY_CALLBACK) once the
// std::stop_token given as CURLOPT_XFERINFODATA is stopped; curl calls it about once a second.
int AbortWhenStopped(void* stop_token, curl_off_t, curl_off_t, curl_off_t, curl_off_t);

}  // namespace kfpevents::http
