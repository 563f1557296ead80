// Small string helpers shared across lib/.
#pragma once

#include <string>
#include <string_view>

namespace kfpevents {

// `text` without leading and trailing characters from `whitespace`.
std::string_view Trim(std::string_view text, std::string_view whitespace = " \t\r\n");

// `text` with every byte that `keep` refuses written as %XX (uppercase hex), as URLs and
// CloudEvents HTTP headers want.
std::string PercentEncode(std::string_view text, bool (*keep)(unsigned char byte));

// RFC 3986's unreserved characters (letters, digits, `-`, `_`, `.`, `~`): what a URL path
// segment or query value keeps as it is.
bool IsUriUnreserved(unsigned char byte);

// `text` cut to at most `max_chars` characters (UTF-8 code points), ending in "…" when cut; never
// splits a character.
std::string Shorten(std::string_view text, std::size_t max_chars);

}  // namespace kfpevents
