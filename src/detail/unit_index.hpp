// UnitTree::find's index: one flat open-addressing table of unit indices, the
// units' own ids as keys (issue 15). A std::unordered_map<std::string, int>
// held a copy of every id in a node of its own: 700,000 allocations and three
// cache misses an insert, the largest part of reading a national unit table.
// A slot is a 32-bit hash of the id over the unit's index + 1 (0: empty); the
// table is at most half full, linear probing. Inline: the readers and the
// benchmarks that build a model by hand (model_access.hpp) add to it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include <canbao/unit.hpp>

#include "unit_memory.hpp"

namespace canbao::detail::unit_index {

inline std::uint32_t id_hash(std::string_view id) {
  const std::uint64_t h = std::hash<std::string_view>{}(id);
  return static_cast<std::uint32_t>(h ^ (h >> 32));
}

inline std::uint64_t make_slot(std::uint32_t hash, int unit) {
  return (static_cast<std::uint64_t>(hash) << 32) | (static_cast<std::uint32_t>(unit) + 1u);
}
inline std::uint32_t slot_hash(std::uint64_t slot) {
  return static_cast<std::uint32_t>(slot >> 32);
}
inline int slot_unit(std::uint64_t slot) {
  return static_cast<int>(static_cast<std::uint32_t>(slot)) - 1;
}

// The slot holding `id`, or the empty slot where it would go.
inline std::size_t probe(const std::vector<std::uint64_t>& slots, const std::vector<Unit>& units,
                         std::string_view id, std::uint32_t hash) {
  const std::size_t mask = slots.size() - 1;
  for (std::size_t at = hash & mask;; at = (at + 1) & mask) {
    const std::uint64_t s = slots[at];
    if (s == 0) return at;
    if (slot_hash(s) != hash) continue;
    // A unit the caller removed after loading is not found (nor read past the end).
    const auto u = static_cast<std::size_t>(slot_unit(s));
    if (u < units.size() && units[u].id == id) return at;
  }
}

// Slots for `units` ids at most half full, a power of two.
inline std::size_t slots_for(std::size_t units) {
  std::size_t n = 16;
  while (n < 2 * units) n *= 2;
  return n;
}

inline void rehash(std::vector<std::uint64_t>& slots, std::size_t size) {
  std::vector<std::uint64_t> old;
  reserve_huge(old, size);  // 16 MB at 700,000 units
  old.resize(size, 0);
  old.swap(slots);
  const std::size_t mask = size - 1;
  for (std::uint64_t s : old) {
    if (s == 0) continue;
    std::size_t at = slot_hash(s) & mask;
    while (slots[at] != 0) at = (at + 1) & mask;
    slots[at] = s;
  }
}

}  // namespace canbao::detail::unit_index
