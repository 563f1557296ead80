#include "kfpevents/label_selector.hpp"

#include <algorithm>

#include "core/strings.hpp"

namespace kfpevents {
namespace {

bool ValidKey(std::string_view key) {
  return !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' ||
           c == '/';
  });
}

bool ValidValue(std::string_view value) {
  return std::all_of(value.begin(), value.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
  });
}

// Splits at commas outside parentheses.
std::vector<std::string_view> Terms(std::string_view text) {
  std::vector<std::string_view> terms;
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || (text[i] == ',' && depth == 0)) {
      terms.push_back(Trim(text.substr(start, i - start)));
      start = i + 1;
    } else if (text[i] == '(') {
      ++depth;
    } else if (text[i] == ')') {
      --depth;
    }
  }
  return terms;
}

}  // namespace

Result<LabelSelector> LabelSelector::Parse(std::string_view text) {
  LabelSelector selector;
  selector.text_ = std::string(Trim(text));
  if (selector.text_.empty()) return selector;
  for (std::string_view term : Terms(selector.text_)) {
    const auto bad = [&](const std::string& why) {
      return Status::InvalidArgument("label selector requirement \"" + std::string(term) +
                                     "\": " + why);
    };
    Requirement requirement;
    if (term.empty()) return Status::InvalidArgument("label selector has an empty requirement");
    const std::size_t space = term.find_first_of(" \t");
    const std::size_t paren = term.find('(');
    if (term[0] == '!') {
      requirement.key = std::string(Trim(term.substr(1)));
      requirement.op = Op::kNotExists;
    } else if (space != std::string_view::npos && paren != std::string_view::npos) {
      requirement.key = std::string(term.substr(0, space));
      const std::string_view op = Trim(term.substr(space, paren - space));
      if (op != "in" && op != "notin") return bad("expected `in` or `notin` before the list");
      if (term.back() != ')') return bad("the value list must end with `)`");
      requirement.op = op == "in" ? Op::kIn : Op::kNotIn;
      const std::string_view list = term.substr(paren + 1, term.size() - paren - 2);
      std::size_t start = 0;
      while (start <= list.size()) {
        const std::size_t comma = std::min(list.find(',', start), list.size());
        requirement.values.emplace_back(Trim(list.substr(start, comma - start)));
        start = comma + 1;
      }
    } else if (const std::size_t ne = term.find("!="); ne != std::string_view::npos) {
      requirement.key = std::string(Trim(term.substr(0, ne)));
      requirement.op = Op::kNotIn;
      requirement.values.emplace_back(Trim(term.substr(ne + 2)));
    } else if (const std::size_t eq = term.find('='); eq != std::string_view::npos) {
      const std::size_t value_start = term.compare(eq, 2, "==") == 0 ? eq + 2 : eq + 1;
      requirement.key = std::string(Trim(term.substr(0, eq)));
      requirement.op = Op::kIn;
      requirement.values.emplace_back(Trim(term.substr(value_start)));
    } else {
      requirement.key = std::string(term);
      requirement.op = Op::kExists;
    }
    if (!ValidKey(requirement.key)) return bad("not a valid label key");
    for (const std::string& value : requirement.values) {
      if (!ValidValue(value)) return bad("\"" + value + "\" is not a valid label value");
    }
    selector.requirements_.push_back(std::move(requirement));
  }
  return selector;
}

bool LabelSelector::Matches(const std::map<std::string, std::string>& labels) const {
  for (const Requirement& requirement : requirements_) {
    const auto it = labels.find(requirement.key);
    const bool present = it != labels.end();
    const bool listed = present && std::find(requirement.values.begin(), requirement.values.end(),
                                             it->second) != requirement.values.end();
    switch (requirement.op) {
      case Op::kExists:
        if (!present) return false;
        break;
      case Op::kNotExists:
        if (present) return false;
        break;
      case Op::kIn:
        if (!listed) return false;
        break;
      case Op::kNotIn:
        if (listed) return false;
        break;
    }
  }
  return true;
}

}  // namespace kfpevents
