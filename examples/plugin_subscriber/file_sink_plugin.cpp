// A Tier 2 plugin: appends every message to a file, one line each ("<id> <body>"). Built as a
// shared object and loaded by kfp-eventd with
//
//   subscribers:
//     - name: archive
//       type: plugin
//       path: /usr/lib/kfp-eventd/plugins/libkfp_file_sink.so
//       settings: {path: /var/log/kfp-runs.log}
//
// It needs only the headers kfpevents/plugin_sdk.hpp and kfpevents/plugin_abi.h (and RapidJSON to
// read its settings): no link against libkfpevents.
#include <rapidjson/document.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>

#include "kfpevents/plugin_sdk.hpp"

namespace {

class FileSink {
 public:
  explicit FileSink(std::string_view settings_json) {
    rapidjson::Document settings;
    settings.Parse(settings_json.data(), settings_json.size());
    if (settings.HasParseError() || !settings.IsObject() || !settings.HasMember("path") ||
        !settings["path"].IsString()) {
      throw std::invalid_argument("settings need `path`, the file to append to");
    }
    path_ = settings["path"].GetString();
    file_ = std::fopen(path_.c_str(), "a");
    if (file_ == nullptr) {
      throw std::runtime_error("cannot open " + path_ + ": " + std::strerror(errno));
    }
  }
  FileSink(const FileSink&) = delete;
  FileSink& operator=(const FileSink&) = delete;
  ~FileSink() { std::fclose(file_); }

  kfpevents::plugin::Result Deliver(const kfpevents::plugin::Message& message) {
    const std::string line = std::string(message.id) + ' ' + std::string(message.body) + '\n';
    if (std::fwrite(line.data(), 1, line.size(), file_) != line.size() || std::fflush(file_) != 0) {
      // A full disk may clear up: let the daemon retry on its schedule.
      return kfpevents::plugin::Result::Retryable("cannot append to " + path_ + ": " +
                                                  std::strerror(errno));
    }
    return kfpevents::plugin::Result::Delivered();
  }

  void Shutdown() { std::fflush(file_); }

 private:
  std::string path_;
  std::FILE* file_ = nullptr;
};

}  // namespace

KFP_EVENTD_PLUGIN(FileSink, "file-sink")
