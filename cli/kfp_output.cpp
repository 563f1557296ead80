#include "kfp_output.hpp"

#include <cctype>
#include <fstream>
#include <iostream>
#include <random>

#include "common.hpp"

namespace kfpevents::cli {
namespace {

// `value` with each character of `escapes` (a list of {character, replacement}) replaced.
std::string Replaced(const std::string& value,
                     std::initializer_list<std::pair<char, const char*>> escapes) {
  std::string out;
  for (const char c : value) {
    bool replaced = false;
    for (const auto& [from, to] : escapes) {
      if (c == from) {
        out += to;
        replaced = true;
        break;
      }
    }
    if (!replaced) out += c;
  }
  return out;
}

// Azure DevOps logging commands: the agent unescapes %AZP25, %0D and %0A in a command's data.
std::string AzdoEscaped(const std::string& value) {
  return Replaced(value, {{'%', "%AZP25"}, {'\r', "%0D"}, {'\n', "%0A"}});
}

// GitHub Actions workflow commands: %25, %0D and %0A in a command's message.
std::string GithubEscaped(const std::string& value) {
  return Replaced(value, {{'%', "%25"}, {'\r', "%0D"}, {'\n', "%0A"}});
}

bool PrintGithub(const Outputs& outputs, const std::string& error) {
  const std::string path = EnvOr("GITHUB_OUTPUT");
  bool written = true;
  if (!outputs.empty()) {
    std::ofstream file;
    if (!path.empty()) file.open(path, std::ios::app);
    if (!file) {
      std::cerr << "kfp-eventd: -o github: $GITHUB_OUTPUT does not name a writable file; the "
                   "outputs follow on stdout\n";
      written = false;
    }
    std::ostream& out = file ? static_cast<std::ostream&>(file) : std::cout;
    std::random_device random;
    for (const auto& [name, value] : outputs) {
      if (value.find_first_of("\r\n") == std::string::npos) {
        out << name << '=' << value << '\n';
      } else {  // GitHub's multiline syntax, with a delimiter no value can contain
        const std::string delimiter = "ghadelimiter_" + std::to_string(random());
        out << name << "<<" << delimiter << '\n' << value << '\n' << delimiter << '\n';
      }
    }
  }
  if (!error.empty()) {
    std::cout << "::error title=kfp-eventd::" << GithubEscaped(error) << '\n';
  } else {
    for (const auto& [name, value] : outputs) {
      if (name == "kf_run_id")
        std::cout << "::notice title=kfp-eventd::run " << GithubEscaped(value) << '\n';
    }
  }
  return written;
}

}  // namespace

const std::vector<std::string>& KfpOutputFormats() {
  static const std::vector<std::string> kFormats = {"text", "json", "azdo", "github", "dotenv"};
  return kFormats;
}

bool PrintKfpOutputs(const Outputs& outputs, const std::string& error, const std::string& format) {
  if (format == "json") {
    std::cout << "{";
    for (std::size_t i = 0; i < outputs.size(); ++i) {
      std::cout << (i > 0 ? "," : "") << JsonQuoted(outputs[i].first) << ":"
                << JsonQuoted(outputs[i].second);
    }
    // On failure, the reason too, so that a program reading the JSON needs nothing else.
    if (!error.empty()) std::cout << (outputs.empty() ? "" : ",") << "\"error\":" << JsonQuoted(error);
    std::cout << "}\n";
  } else if (format == "azdo") {
    // Output variables for later jobs and stages, and the failure on the pipeline's summary.
    for (const auto& [name, value] : outputs) {
      std::cout << "##vso[task.setvariable variable=" << name << ";isOutput=true]"
                << AzdoEscaped(value) << "\n";
    }
    if (!error.empty())
      std::cout << "##vso[task.logissue type=error]" << AzdoEscaped(error) << "\n";
  } else if (format == "github") {
    return PrintGithub(outputs, error);
  } else if (format == "dotenv") {
    for (const auto& [name, value] : outputs) {
      std::string upper = name;
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      std::cout << upper << '=' << Replaced(value, {{'\r', " "}, {'\n', " "}}) << "\n";
    }
  } else {
    for (const auto& [name, value] : outputs) std::cout << name << ": " << value << "\n";
  }
  return true;
}

}  // namespace kfpevents::cli
