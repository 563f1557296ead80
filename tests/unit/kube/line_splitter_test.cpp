#include "kube/line_splitter.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>

namespace kfpevents::kube {
namespace {

using ::testing::ElementsAre;

struct Collected {
  std::vector<std::string> lines;
  std::vector<std::size_t> too_long;
};

LineSplitter SplitterInto(Collected& out, std::size_t cap = 1024) {
  return LineSplitter(
      cap,
      [&out](std::string_view line) {
        out.lines.emplace_back(line);
        return true;
      },
      [&out](std::size_t bytes) { out.too_long.push_back(bytes); });
}

TEST(LineSplitterTest, EverySplitOfTheStreamGivesTheSameLines) {
  const std::string stream = "{\"a\":1}\n{\"b\":22}\r\n\n{\"c\":333}\n";
  for (std::size_t first = 0; first <= stream.size(); ++first) {
    for (std::size_t second = first; second <= stream.size(); ++second) {
      Collected out;
      LineSplitter splitter = SplitterInto(out);
      splitter.Feed(std::string_view(stream).substr(0, first));
      splitter.Feed(std::string_view(stream).substr(first, second - first));
      splitter.Feed(std::string_view(stream).substr(second));
      EXPECT_THAT(out.lines, ElementsAre("{\"a\":1}", "{\"b\":22}", "{\"c\":333}"))
          << "split at " << first << " and " << second;
    }
  }
}

TEST(LineSplitterTest, ByteByByteFeedingAssemblesLongLines) {
  const std::string line(5000, 'x');
  Collected out;
  LineSplitter splitter = SplitterInto(out, 10000);
  for (const char c : line + "\n") splitter.Feed(std::string_view(&c, 1));
  EXPECT_THAT(out.lines, ElementsAre(line));
}

TEST(LineSplitterTest, AnOverlongLineIsReportedAndSkippedWithoutLosingTheNext) {
  Collected out;
  LineSplitter splitter = SplitterInto(out, 10);
  std::mt19937 random(7);
  const std::string stream = "short\n" + std::string(25, 'y') + "\nnext\n";
  for (std::size_t offset = 0; offset < stream.size();) {
    const std::size_t size = std::min<std::size_t>(random() % 4 + 1, stream.size() - offset);
    splitter.Feed(std::string_view(stream).substr(offset, size));
    offset += size;
  }
  EXPECT_THAT(out.lines, ElementsAre("short", "next"));
  EXPECT_THAT(out.too_long, ElementsAre(25u));
}

TEST(LineSplitterTest, StopsWhenTheHandlerSaysSo) {
  int calls = 0;
  LineSplitter splitter(
      100,
      [&](std::string_view) {
        ++calls;
        return false;
      },
      [](std::size_t) {});
  EXPECT_FALSE(splitter.Feed("one\ntwo\n"));
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace kfpevents::kube
