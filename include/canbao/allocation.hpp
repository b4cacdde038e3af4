// Target decomposition (目标任务分解): split a parent's integer target over its
// children in proportion to a base (e.g. unenrolled people found by data
// matching) so that the integer shares add up exactly to the target.
#pragma once

#include <canbao/export.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace canbao {

// Largest-remainder (Hamilton) method. Each child first gets
// floor(total * base_i / sum(bases)); the leftover units go one each to the
// largest remainders; equal remainders go to the lower index (policy order),
// so the result is deterministic. With `minimums` (same size as `bases`, or
// empty), every child ends with at least its minimum: children below it are
// fixed at the minimum and the rest is re-split among the others.
// Errors (ArgumentError): negative total/base/minimum; bases summing to 0 while
// total > 0; minimums summing to more than total; sizes differ.
CANBAO_API std::vector<std::int64_t> allocate_largest_remainder(
    std::int64_t total, const std::vector<std::int64_t>& bases,
    const std::vector<std::int64_t>& minimums = {});

}  // namespace canbao
