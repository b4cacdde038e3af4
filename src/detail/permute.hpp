// Puts a vector of large elements into a sorted order computed on indices:
// sorting the indices moves 4 bytes a swap instead of a whole element, and
// this applies the order in place (one move per element, no second vector).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace canbao::detail {

// v becomes {v[order[0]], v[order[1]], ...}; `order` (a permutation of
// 0..v.size()-1) is used up.
template <class T>
void apply_order(std::vector<T>& v, std::vector<std::uint32_t>& order) {
  constexpr std::uint32_t done = UINT32_MAX;
  for (std::size_t start = 0; start < v.size(); ++start) {
    if (order[start] == done) continue;
    // Follow the cycle through start: position i takes the element at order[i].
    T held = std::move(v[start]);
    std::size_t i = start;
    for (;;) {
      const std::size_t from = order[i];
      order[i] = done;
      if (from == start) {
        v[i] = std::move(held);
        break;
      }
      v[i] = std::move(v[from]);
      i = from;
    }
  }
}

}  // namespace canbao::detail
