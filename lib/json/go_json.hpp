// JSON string output that matches Go's encoding/json byte for byte: the original tool was
// written in Go, and its subscribers have seen these exact escapes for years.
#pragma once

#include <string>
#include <string_view>

namespace kfpevents::json {

// Appends `text` as a quoted JSON string, escaped as Go's json.Marshal does (Go 1.22+):
//  - `"` and `\` with a backslash; \b \f \n \r \t as such; other controls as \u00XX (lowercase);
//  - `<`, `>`, `&` as \u003c, \u003e, \u0026 and U+2028, U+2029 as \u2028, \u2029;
//  - each byte that is not part of valid UTF-8 as \ufffd. The result is always valid JSON.
void AppendGoString(std::string& out, std::string_view text);

// Appends `,"key":"value"`: a further member of an object being written. `key` is written as it
// is (our own key names, which need no escaping); `value` as AppendGoString writes it.
void AppendGoMember(std::string& out, std::string_view key, std::string_view value);

}  // namespace kfpevents::json
