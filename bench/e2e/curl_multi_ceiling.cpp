// The ceiling for delivering: a minimal libcurl-multi client POSTing one body COUNT times with
// CONCURRENCY requests in flight over kept-alive connections, as kfp-eventd's delivery loop
// does, and nothing else. Prints requests per second.
//
//   curl-multi-ceiling URL BODY_FILE COUNT CONCURRENCY
#include <curl/curl.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

namespace {

std::size_t Discard(char*, std::size_t size, std::size_t count, void*) { return size * count; }

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::cerr << "usage: curl-multi-ceiling URL BODY_FILE COUNT CONCURRENCY\n";
    return 2;
  }
  std::ifstream in(argv[2], std::ios::binary);
  const std::string body((std::istreambuf_iterator<char>(in)), {});
  const long count = std::atol(argv[3]);
  const int concurrency = std::atoi(argv[4]);
  curl_global_init(CURL_GLOBAL_DEFAULT);
  CURLM* multi = curl_multi_init();
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  std::vector<CURL*> idle;
  for (int i = 0; i < concurrency; ++i) idle.push_back(curl_easy_init());
  long started = 0;
  long done = 0;
  long failed = 0;
  auto start = [&](CURL* easy) {
    curl_easy_setopt(easy, CURLOPT_URL, argv[1]);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &Discard);
    curl_multi_add_handle(multi, easy);
    ++started;
  };
  const auto begin = std::chrono::steady_clock::now();
  while (done < count) {
    while (!idle.empty() && started < count) {
      start(idle.back());
      idle.pop_back();
    }
    int running = 0;
    curl_multi_perform(multi, &running);
    int left = 0;
    while (CURLMsg* message = curl_multi_info_read(multi, &left)) {
      if (message->msg != CURLMSG_DONE) continue;
      long status = 0;
      curl_easy_getinfo(message->easy_handle, CURLINFO_RESPONSE_CODE, &status);
      if (message->data.result != CURLE_OK || status >= 300) ++failed;
      curl_multi_remove_handle(multi, message->easy_handle);
      idle.push_back(message->easy_handle);
      ++done;
    }
    if (done < count && running > 0) curl_multi_poll(multi, nullptr, 0, 100, nullptr);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  std::cout << static_cast<long>(static_cast<double>(count) / seconds) << '\n';
  for (CURL* easy : idle) curl_easy_cleanup(easy);
  curl_slist_free_all(headers);
  curl_multi_cleanup(multi);
  curl_global_cleanup();
  return failed == 0 ? 0 : 1;
}
