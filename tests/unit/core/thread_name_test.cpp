#include "core/thread_name.hpp"

#include <gtest/gtest.h>
#include <pthread.h>

#include <string>
#include <thread>

namespace kfpevents {
namespace {

std::string NameOfThisThread() {
  char name[16] = {};
  pthread_getname_np(pthread_self(), name, sizeof(name));
  return name;
}

TEST(NameThisThreadTest, NamesTheCallingThreadAndCutsToWhatLinuxKeeps) {
  std::string short_name;
  std::string long_name;
  std::thread([&] {
    NameThisThread("kfp-deliver");
    short_name = NameOfThisThread();
    NameThisThread("kfp-sub-a-very-long-subscriber");
    long_name = NameOfThisThread();
  }).join();
  EXPECT_EQ(short_name, "kfp-deliver");
  EXPECT_EQ(long_name, "kfp-sub-a-very-");  // 15 bytes, where pthread_setname_np would refuse
}

}  // namespace
}  // namespace kfpevents
