// The per-person kernel, for tables too large for an answer table, and
// resolve(), which applies the tables' hit policies to a row mask (prepare.cpp
// uses it to fill the answer table).
#include <algorithm>
#include <cstdint>

#include "prepared.hpp"

namespace canbao {

using detail::count_segments;

std::uint32_t PreparedRecommendation::Impl::resolve(std::uint64_t m,
                                                    std::uint64_t* fired_out) const {
  std::uint64_t fired = 0;
  for (const TableBits& t : table_bits_) {
    if (t.first) {
      // `otherwise` sits above the table's rows: the lowest set bit is the first hit.
      const std::uint64_t h = m & (t.rows | t.otherwise);
      fired |= h & (~h + 1);
    } else {
      const std::uint64_t h = m & t.rows;
      fired |= h | (h == 0 ? m & t.otherwise : 0);
    }
  }
  std::uint32_t packed = 0;
  for (int k = 0; k < outcome_bytes_; ++k) packed |= outcome_by_byte_[k][(fired >> (8 * k)) & 0xFF];
  *fired_out = fired;
  return packed;
}

// No answer table: per person, the AND of the field masks gives the rows
// whose conditions hold, and resolve() applies the hit policies. Slower
// (a loop over the tables a person), never wrong.
void PreparedRecommendation::Impl::run_per_person(const PersonColumns& in,
                                                  const RecommendationColumns& out,
                                                  std::size_t start) const {
  constexpr std::size_t kChunk = 512;
  std::uint32_t bseg[kChunk], gseg[kChunk];
  for (std::size_t base = start; base < in.count; base += kChunk) {
    const std::size_t len = std::min(kChunk, in.count - base);
    std::uint8_t bad = 0;
    for (std::size_t i = base; i < base + len; ++i) {
      bad |= static_cast<std::uint8_t>(
          (in.sex[i] > 1) | (in.hukou_local[i] > 1) |
          (in.insurance_status[i] >= kInsuranceStatusCount) |
          (in.employment[i] >= kEmploymentCount) | (in.flags[i] > kAllPersonFlags) |
          (in.birth_day[i] < first_birth_day_) | (in.birth_day[i] > last_birth_day_));
    }
    if (bad) {
      PersonColumns chunk = in;
      chunk.count = base + len;
      report_bad_row(chunk);
    }
    count_segments(in.birth_day + base, len, birth_cut_, bseg);
    count_segments(in.resident_grade_yuan + base, len, grade_cut_, gseg);
    for (std::size_t j = 0; j < len; ++j) {
      const std::size_t i = base + j;
      const std::uint8_t sex = in.sex[i];
      const std::uint64_t m = status_mask_[in.insurance_status[i]] &
                              employment_mask_[in.employment[i]] &
                              hukou_mask_[sex * 2 + in.hukou_local[i]] & flags_mask_[in.flags[i]] &
                              birth_mask_[sex][bseg[j]] & grade_mask_[gseg[j]];
      std::uint64_t fired = 0;
      const std::uint32_t packed = resolve(m, &fired);
      out.scheme[i] = static_cast<std::uint8_t>(packed);
      out.actions[i] = static_cast<std::uint8_t>(packed >> 8);
      out.groups[i] = static_cast<std::uint8_t>(packed >> 16);
      if (out.fired_rows) out.fired_rows[i] = fired;
      if (out.fired_set) out.fired_set[i] = sets_.number(&fired);
    }
  }
}

}  // namespace canbao
