#include "core/gunzip.hpp"

#include <zlib.h>

#include <algorithm>

namespace kfpevents {

Result<std::string> Gunzip(std::string_view compressed, std::size_t max_bytes) {
  z_stream stream{};
  // 16 + MAX_WBITS: a gzip header and trailer, not a raw zlib stream.
  if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) {
    return Status::Internal("zlib could not start inflating");
  }
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(compressed.size());
  std::string out;
  char chunk[64 * 1024];
  int result = Z_OK;
  while (true) {
    stream.next_out = reinterpret_cast<Bytef*>(chunk);
    stream.avail_out = sizeof(chunk);
    result = inflate(&stream, Z_NO_FLUSH);
    const std::size_t produced = sizeof(chunk) - stream.avail_out;
    if (out.size() + produced > max_bytes) {
      inflateEnd(&stream);
      return Status::InvalidArgument("inflates past " + std::to_string(max_bytes) +
                                     " bytes; refused");
    }
    out.append(chunk, produced);
    if (result == Z_STREAM_END) {
      if (stream.avail_in == 0) break;
      inflateReset(&stream);  // another gzip member follows (parallel gzip writers make several)
      continue;
    }
    if (result != Z_OK || (produced == 0 && stream.avail_in == 0)) break;
  }
  const std::string why = stream.msg != nullptr ? stream.msg : "";
  inflateEnd(&stream);
  if (result == Z_STREAM_END) return out;
  return Status::InvalidArgument(result == Z_OK || result == Z_BUF_ERROR
                                     ? std::string("the gzip data is cut short")
                                     : "not gzip data" + (why.empty() ? "" : " (" + why + ")"));
}

}  // namespace kfpevents
