#include "core/thread_name.hpp"

#include <pthread.h>

#include <string>

namespace kfpevents {

void NameThisThread(std::string_view name) {
  const std::string kept(name.substr(0, 15));
  pthread_setname_np(pthread_self(), kept.c_str());  // only a diagnostic: a failure changes nothing
}

}  // namespace kfpevents
