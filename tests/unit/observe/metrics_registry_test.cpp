#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>

#include "kfpevents/metrics.hpp"

namespace kfpevents {
namespace {

using ::testing::HasSubstr;

TEST(MetricsRegistryTest, RendersFamiliesSortedWithHelpTypeAndEscapedLabels) {
  MetricsRegistry registry;
  registry.GetGauge("b_depth", "Depth.", {{"subscriber", "a\"b\\c\nd"}}).Set(2.5);
  registry.GetCounter("a_total", "Line one\nline two \\ done.").Add(3);
  EXPECT_EQ(registry.Render(),
            "# HELP a_total Line one\\nline two \\\\ done.\n"
            "# TYPE a_total counter\n"
            "a_total 3\n"
            "# HELP b_depth Depth.\n"
            "# TYPE b_depth gauge\n"
            "b_depth{subscriber=\"a\\\"b\\\\c\\nd\"} 2.5\n");
}

TEST(MetricsRegistryTest, TheSameNameAndLabelsGiveTheSameSeries) {
  MetricsRegistry registry;
  registry.GetCounter("x_total", "X.", {{"k", "v"}}).Add();
  registry.GetCounter("x_total", "X.", {{"k", "v"}}).Add(2);
  registry.GetCounter("x_total", "X.", {{"k", "w"}});
  EXPECT_EQ(registry.GetCounter("x_total", "X.", {{"k", "v"}}).value(), 3U);
  EXPECT_THAT(registry.Render(), HasSubstr("x_total{k=\"v\"} 3\nx_total{k=\"w\"} 0\n"));
}

TEST(MetricsRegistryTest, HistogramBucketsAreCumulativeWithInfSumAndCount) {
  MetricsRegistry registry;
  Histogram& latency = registry.GetHistogram("lat_seconds", "Latency.", {0.1, 1}, {{"s", "a"}});
  for (const double value : {0.05, 0.1, 0.5, 7.0}) latency.Observe(value);
  EXPECT_THAT(registry.Render(), HasSubstr("lat_seconds_bucket{s=\"a\",le=\"0.1\"} 2\n"
                                           "lat_seconds_bucket{s=\"a\",le=\"1\"} 3\n"
                                           "lat_seconds_bucket{s=\"a\",le=\"+Inf\"} 4\n"
                                           "lat_seconds_sum{s=\"a\"} 7.65\n"
                                           "lat_seconds_count{s=\"a\"} 4\n"));
}

TEST(MetricsRegistryTest, MisuseIsRefusedLoudly) {
  MetricsRegistry registry;
  registry.GetCounter("used_total", "Used.");
  EXPECT_THROW(registry.GetGauge("used_total", "Used."), std::invalid_argument);
  EXPECT_THROW(registry.GetCounter("no_suffix", "X."), std::invalid_argument);
  EXPECT_THROW(registry.GetGauge("9starts_with_digit", "X."), std::invalid_argument);
  EXPECT_THROW(registry.GetGauge("g", "X.", {{"bad-label", "v"}}), std::invalid_argument);
  EXPECT_THROW(registry.GetGauge("g", "X.", {{"__reserved", "v"}}), std::invalid_argument);
  EXPECT_THROW(registry.GetHistogram("h", "X.", {1}, {{"le", "v"}}), std::invalid_argument);
}

}  // namespace
}  // namespace kfpevents
