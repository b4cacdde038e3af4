// Largest-remainder (Hamilton) allocation of an integer target over children.
// Products total x base need up to 126 bits, so quotas are computed in int128.
#include <canbao/allocation.hpp>

#include <algorithm>
#include <numeric>

#include <canbao/error.hpp>

#include "detail/int128.hpp"

namespace canbao {

namespace {

using detail::int128;

// Hamilton split of `total` over the children in `members` by their bases.
// The caller guarantees the bases of `members` sum to > 0 whenever total > 0.
void split(std::int64_t total, const std::vector<std::int64_t>& bases,
           const std::vector<std::size_t>& members, std::vector<std::int64_t>& out) {
  int128 sum = 0;
  for (std::size_t i : members) sum += bases[i];
  if (total == 0 || members.empty()) {
    for (std::size_t i : members) out[i] = 0;
    return;
  }
  std::vector<int128> remainder(bases.size(), 0);
  std::int64_t given = 0;
  for (std::size_t i : members) {
    const int128 product = static_cast<int128>(total) * bases[i];
    out[i] = static_cast<std::int64_t>(product / sum);  // <= total, fits
    remainder[i] = product % sum;
    given += out[i];
  }
  // Leftover units (fewer than members.size()) go to the largest remainders;
  // equal remainders go to the earlier child so the result is deterministic.
  std::vector<std::size_t> by_remainder = members;
  std::stable_sort(by_remainder.begin(), by_remainder.end(), [&](std::size_t a, std::size_t b) {
    return remainder[a] != remainder[b] ? remainder[a] > remainder[b] : a < b;
  });
  for (std::int64_t k = 0; k < total - given; ++k) {
    ++out[by_remainder[static_cast<std::size_t>(k)]];
  }
}

}  // namespace

std::vector<std::int64_t> allocate_largest_remainder(std::int64_t total,
                                                     const std::vector<std::int64_t>& bases,
                                                     const std::vector<std::int64_t>& minimums) {
  if (total < 0) throw ArgumentError("total", "must be >= 0, got " + std::to_string(total));
  if (!minimums.empty() && minimums.size() != bases.size()) {
    throw ArgumentError("minimums", "has " + std::to_string(minimums.size()) +
                                        " entries but there are " + std::to_string(bases.size()) +
                                        " bases");
  }
  int128 base_sum = 0, minimum_sum = 0;
  for (std::size_t i = 0; i < bases.size(); ++i) {
    if (bases[i] < 0) {
      throw ArgumentError("bases[" + std::to_string(i) + "]",
                          "must be >= 0, got " + std::to_string(bases[i]));
    }
    base_sum += bases[i];
  }
  for (std::size_t i = 0; i < minimums.size(); ++i) {
    if (minimums[i] < 0) {
      throw ArgumentError("minimums[" + std::to_string(i) + "]",
                          "must be >= 0, got " + std::to_string(minimums[i]));
    }
    minimum_sum += minimums[i];
  }
  if (total > 0 && base_sum == 0) {
    throw ArgumentError(
        "bases", bases.empty() ? "there is nothing to allocate " + std::to_string(total) + " over"
                               : "sum to 0, cannot allocate " + std::to_string(total));
  }
  if (minimum_sum > total) {
    throw ArgumentError("minimums", "sum to " +
                                        std::to_string(static_cast<long long>(minimum_sum)) +
                                        ", more than the total " + std::to_string(total));
  }

  std::vector<std::int64_t> out(bases.size(), 0);
  std::vector<std::size_t> free(bases.size());
  std::iota(free.begin(), free.end(), std::size_t{0});
  std::int64_t remaining = total;
  // Fix every child whose exact quota is below its minimum at that minimum and
  // re-split the rest among the others, until no quota is below its minimum.
  // (A child whose quota reaches its minimum keeps floor(quota) >= minimum.)
  for (bool fixed_any = !minimums.empty(); fixed_any;) {
    fixed_any = false;
    int128 sum = 0;
    for (std::size_t i : free) sum += bases[i];
    std::vector<std::size_t> still_free;
    for (std::size_t i : free) {
      // quota = remaining * base / sum < minimum  <=>  remaining * base < minimum * sum
      const bool below = sum == 0 ? minimums[i] > 0
                                  : static_cast<int128>(remaining) * bases[i] <
                                        static_cast<int128>(minimums[i]) * sum;
      if (below) {
        out[i] = minimums[i];
        remaining -= minimums[i];
        fixed_any = true;
      } else {
        still_free.push_back(i);
      }
    }
    free.swap(still_free);
  }
  int128 free_sum = 0;
  for (std::size_t i : free) free_sum += bases[i];
  if (remaining > 0 && free_sum == 0) {
    // Cannot happen when minimums sum to <= total (see docs/allocation.md).
    throw Error(ErrorKind::internal, "allocate_largest_remainder",
                "no base left for the remaining " + std::to_string(remaining));
  }
  split(remaining, bases, free, out);
  return out;
}

}  // namespace canbao
