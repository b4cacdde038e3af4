// The portable table kernel: per person two segment counts and two dependent
// loads in the answer table (PreparedRecommendation::Impl, prepared.hpp).
#include <algorithm>
#include <cstdint>

#include "prepared.hpp"

namespace canbao {

using detail::count_segments;

void PreparedRecommendation::Impl::run_portable(const PersonColumns& in,
                                                const RecommendationColumns& out,
                                                std::size_t start) const {
  // Narrow segments and keys when they fit (most policies: twice as fast
  // as 32-bit ones), else 32-bit.
  if (birth_cut_.size() < 256 && grade_cut_.size() < 256 &&
      2 * (birth_cut_.size() + 1) * (grade_cut_.size() + 1) <= 65536) {
    run_portable_as<std::uint8_t, std::uint16_t>(in, out, start);
  } else {
    run_portable_as<std::uint32_t, std::uint32_t>(in, out, start);
  }
}

template <typename Seg, typename Key>
void PreparedRecommendation::Impl::run_portable_as(const PersonColumns& in,
                                                   const RecommendationColumns& out,
                                                   std::size_t start) const {
  const std::uint64_t *const fired_by_key = fired_by_date_key_.data(), *const fired_set =
                                                                           fired_set_.data();
  const std::uint32_t nbs = static_cast<std::uint32_t>(birth_cut_.size() + 1),
                      ngs = static_cast<std::uint32_t>(grade_cut_.size() + 1);
  const Seg last_seg = static_cast<Seg>(birth_cut_.size());

  // Chunks: the segment counts and validity checks are simple loops over
  // columns that the compiler vectorises; the lookups follow.
  constexpr std::size_t kChunk = 512;
  Seg bseg[kChunk], gseg[kChunk];
  std::uint16_t fkey[kChunk];
  Key dkey[kChunk];
  std::uint32_t packed[kChunk];
  const std::uint32_t* const fact_offset = fact_offset_.data();
  const std::uint32_t* const answer_by_key = answer_by_date_key_.data();
  for (std::size_t base = start; base < in.count; base += kChunk) {
    const std::size_t len = std::min(kChunk, in.count - base);
    const std::uint8_t* const sex = in.sex + base;
    const std::int32_t* const birth = in.birth_day + base;
    const std::uint8_t* const hukou = in.hukou_local + base;
    const std::uint8_t* const status = in.insurance_status + base;
    const std::uint8_t* const employment = in.employment + base;
    const std::uint16_t* const grade = in.resident_grade_yuan + base;
    const std::uint8_t* const flags = in.flags + base;
    count_segments(birth, len, birth_cut_, bseg);
    count_segments(grade, len, grade_cut_, gseg);
    // Birth segment 0 is before 1900, the last one after the last valid day
    // (with no valid day there is one segment, both). Checked on the
    // segments, all in narrow lanes, so the loop vectorises.
    std::uint8_t bad = 0;
    for (std::size_t i = 0; i < len; ++i) {
      bad |= static_cast<std::uint8_t>(
          (sex[i] > 1) | (hukou[i] > 1) | (status[i] >= kInsuranceStatusCount) |
          (employment[i] >= kEmploymentCount) | (flags[i] > kAllPersonFlags) | (bseg[i] == 0) |
          (bseg[i] == last_seg));
    }
    if (bad) {
      PersonColumns chunk = in;
      chunk.count = base + len;
      report_bad_row(chunk);
    }
    // Keys first, in loops the compiler vectorises; then two dependent loads a
    // person with few live registers (the lookups are the bottleneck).
    for (std::size_t i = 0; i < len; ++i) {
      fkey[i] = static_cast<std::uint16_t>(
          ((status[i] * kEmploymentCount + employment[i]) * 2 + hukou[i]) * 64 + flags[i]);
    }
    for (std::size_t i = 0; i < len; ++i)
      dkey[i] = static_cast<Key>((sex[i] * nbs + bseg[i]) * ngs + gseg[i]);
    std::uint8_t* const scheme = out.scheme + base;
    std::uint8_t* const actions = out.actions + base;
    std::uint8_t* const groups = out.groups + base;
    for (std::size_t i = 0; i < len; ++i) packed[i] = answer_by_key[fact_offset[fkey[i]] + dkey[i]];
    for (std::size_t i = 0; i < len; ++i) scheme[i] = static_cast<std::uint8_t>(packed[i]);
    for (std::size_t i = 0; i < len; ++i) actions[i] = static_cast<std::uint8_t>(packed[i] >> 8);
    for (std::size_t i = 0; i < len; ++i) groups[i] = static_cast<std::uint8_t>(packed[i] >> 16);
    if (out.fired_set) store_fired_set(packed, len, out.fired_set + base);
    if (out.fired_rows && fired_in_answer_) {
      std::uint64_t* const fired = out.fired_rows + base;
      for (std::size_t i = 0; i < len; ++i) fired[i] = fired_set[packed[i] >> 24];
    } else if (out.fired_rows) {
      std::uint64_t* const fired = out.fired_rows + base;
      for (std::size_t i = 0; i < len; ++i) fired[i] = fired_by_key[fact_offset[fkey[i]] + dkey[i]];
    }
  }
}

}  // namespace canbao
