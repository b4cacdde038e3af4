// Big arrays of a national policy (700,000 units: a 200 MB unit array, the
// policy text, the id index) in 2 MB pages (issue 15). Measured at 700k:
// validate took about 104,000 first-touch page faults, 40 % of its time in the
// kernel; this machine's transparent huge pages are "madvise", so a region is
// given them only when asked. Ask before the first touch: a page already
// touched stays small. A hint only: any failure is ignored.
#pragma once

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "whole_file.hpp"

namespace canbao::detail {

// Asks for huge pages on the 2 MB-aligned part of [data, data + bytes).
inline void advise_huge_pages(const void* data, std::size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  constexpr std::uintptr_t huge = std::uintptr_t{2} << 20;
  if (bytes < 4 * huge) return;  // small arrays: not worth a system call
  const auto at = reinterpret_cast<std::uintptr_t>(data);
  const std::uintptr_t begin = (at + huge - 1) & ~(huge - 1);
  const std::uintptr_t end = (at + bytes) & ~(huge - 1);
  if (end > begin) (void)::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#else
  (void)data;
  (void)bytes;
#endif
}

// v.reserve(n), the new room in huge pages (a fresh allocation of that size
// is its own mapping, not yet touched).
template <class T>
void reserve_huge(std::vector<T>& v, std::size_t n) {
  if (n <= v.capacity()) return;
  v.reserve(n);
  advise_huge_pages(v.data(), v.capacity() * sizeof(T));
}

// read_whole_file (whole_file.hpp) into room asked in huge pages first.
inline bool read_whole_file_huge(std::ifstream& in, std::string& text) {
  in.seekg(0, std::ios::end);
  const auto size = in.tellg();
  in.seekg(0, std::ios::beg);
  if (size > 0 && static_cast<std::size_t>(size) > text.capacity()) {
    text.clear();
    text.reserve(static_cast<std::size_t>(size));
    advise_huge_pages(text.data(), text.capacity());
  }
  return read_whole_file(in, text);
}

}  // namespace canbao::detail
