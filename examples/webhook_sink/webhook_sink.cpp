// kfp-webhook-sink: a loopback HTTP server that prints every request it receives and answers 204.
//
//   kfp-webhook-sink [PORT] [--max N]
//
// Listens on 127.0.0.1:PORT (0, the default, picks a free port), prints "listening on PORT" once
// ready, then one line per received POST: "<path> webhook-id=<id> <body>". Exits after N requests
// with --max, or on SIGINT/SIGTERM.
#include <httplib.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <string>

namespace {
httplib::Server* g_server = nullptr;  // for the signal handler only
void StopOnSignal(int) {
  if (g_server != nullptr) g_server->stop();
}
}  // namespace

int main(int argc, char** argv) {
  int port = 0;
  long max_requests = -1;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--max" && i + 1 < argc) {
      max_requests = std::strtol(argv[++i], nullptr, 10);
    } else if (arg == "-h" || arg == "--help") {
      std::cout << "usage: kfp-webhook-sink [PORT] [--max N]\n";
      return 0;
    } else {
      port = std::atoi(arg.c_str());
    }
  }

  httplib::Server server;
  std::mutex mutex;
  long received = 0;
  server.Post(R"(/.*)", [&](const httplib::Request& request, httplib::Response& response) {
    std::lock_guard lock(mutex);
    std::cout << request.path << " webhook-id=" << request.get_header_value("webhook-id") << ' '
              << request.body << std::endl;
    response.status = 204;
    if (max_requests > 0 && ++received >= max_requests) server.stop();
  });

  g_server = &server;
  std::signal(SIGINT, StopOnSignal);
  std::signal(SIGTERM, StopOnSignal);
  const int bound = port == 0 ? server.bind_to_any_port("127.0.0.1")
                              : (server.bind_to_port("127.0.0.1", port) ? port : -1);
  if (bound < 0) {
    std::cerr << "kfp-webhook-sink: cannot listen on 127.0.0.1:" << port << '\n';
    return 1;
  }
  std::cout << "listening on " << bound << std::endl;
  server.listen_after_bind();
  return 0;
}
