// The rest of an opened file as one string, sized once from the file's length:
// a national policy is 90 MB and its unit table 28 MB, so no growing buffer and
// no second copy (ostringstream). The callers word their own errors.
#pragma once

#include <fstream>
#include <string>

namespace canbao::detail {

// Reads `in` (opened in binary mode) from its start into `text`. False when
// the read failed (a directory, an I/O error); `text` is then unusable.
inline bool read_whole_file(std::ifstream& in, std::string& text) {
  text.clear();
  in.seekg(0, std::ios::end);
  const auto size = in.tellg();
  in.seekg(0, std::ios::beg);
  if (size > 0) {
    text.resize(static_cast<std::size_t>(size));
    in.read(text.data(), size);
  }
  return in || in.eof();
}

}  // namespace canbao::detail
