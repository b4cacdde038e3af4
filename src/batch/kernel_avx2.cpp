// The AVX2 kernel (x86-64 with GCC or Clang): one lookup per person in the
// direct table. Compiled with target attributes, not -mavx2, so the library
// runs on any x86-64; run.cpp picks it only when the CPU has AVX2.
#include <algorithm>
#include <cstdint>

#include "avx2.hpp"
#include "prepared.hpp"

#if CANBAO_BATCH_AVX2
#include <immintrin.h>
#endif

namespace canbao {

using detail::kMaxAvx2Cuts;

#if CANBAO_BATCH_AVX2
namespace {
namespace avx2 = detail::avx2;
using avx2::load16;
using avx2::load32;
using avx2::times;

// Unsigned 16-bit a > b, with b already XORed with 0x8000 (AVX2 compares signed).
__attribute__((target("avx2"))) inline __m256i above(__m256i a_biased, __m256i b_biased) {
  return _mm256_cmpgt_epi16(a_biased, b_biased);
}
}  // namespace

// In chunks of 512 persons, three passes so that each keeps many independent
// operations in flight: (1) sixteen persons a step in registers: byte checks,
// field classes by byte shuffles, birth and grade segments by compares on
// saturated 16-bit offsets from 1900-01-01, a
// 16-bit key by multiply-add; (2) one scalar table load per person (on Zen 3
// sixteen scalar loads cost less than two AVX2 gathers); (3) byte shuffles
// split the packed answers into 16 scheme, 16 action and 16 group bytes.
__attribute__((target("avx2"))) std::size_t PreparedRecommendation::Impl::run_avx2(
    const PersonColumns &in, const RecommendationColumns &out) const {
  // The constructor builds the direct table only when the tables fit this
  // kernel: at most kMaxAvx2Cuts cut-offs of each kind, 16-bit keys, and
  // every middle birth cut-off less than 65535 days after first_valid (birth
  // days become 16-bit offsets from it, saturating at 65535).
  const std::size_t nb = birth_cut_.size();
  if (direct_answer_.empty() || nb < 2) return 0;
  // Segment 0 (before 1900) and the last (after the last valid day) are invalid.
  const std::int32_t first_valid = first_birth_day_, last_valid = last_birth_day_;
  const std::size_t n = in.count & ~std::size_t{15};
  // Locals, not `in` / `out` members: byte stores may alias them, and the
  // compiler would reload every pointer after each store.
  const std::uint8_t *const sex_col = in.sex, *const hukou_col = in.hukou_local,
                            *const status_col = in.insurance_status,
                            *const employment_col = in.employment, *const flags_col = in.flags;
  const std::int32_t *const birth_col = in.birth_day;
  const std::uint16_t *const grade_col = in.resident_grade_yuan;
  std::uint8_t *const scheme_col = out.scheme, *const actions_col = out.actions,
                      *const groups_col = out.groups;
  std::uint64_t *const fired_col = out.fired_rows;
  std::uint8_t *const fired_set_col = out.fired_set;
  const std::uint32_t *const answer = direct_answer_.data();
  const std::uint64_t *const fired_by_key = direct_fired_.data(), *const fired_set =
                                                                      fired_set_.data();

  const __m128i status_class = load16(status_class_.data()),
                employment_class = load16(employment_class_.data()),
                hukou_class = load16(hukou_class_.data());
  // Flags (6 bits): the tables for bits 4-5 = 0 and 1 in one register, 2 and 3 in another.
  const __m256i flags_class01 = load32(flags_class_.data()),
                flags_class23 = load32(flags_class_.data() + 32);
  const __m256i status_stride = _mm256_set1_epi16(static_cast<short>(class_stride_[0])),
                employment_stride = _mm256_set1_epi16(static_cast<short>(class_stride_[1])),
                hukou_stride = _mm256_set1_epi16(static_cast<short>(class_stride_[2])),
                flags_stride = _mm256_set1_epi16(static_cast<short>(class_stride_[3]));
  const __m256i first_valid32 = _mm256_set1_epi32(first_valid),
                last_valid32 = _mm256_set1_epi32(last_valid);
  const __m256i bias = _mm256_set1_epi16(static_cast<short>(0x8000));
  // Valid persons pass cut 0 and never the last cut: their segment is 1 plus
  // the middle cuts passed. Cuts as biased 16-bit offsets from first_valid;
  // at most kMaxAvx2Cuts of each (the constructor checks).
  __m256i birth_cuts[kMaxAvx2Cuts], grade_cuts[kMaxAvx2Cuts];
  std::size_t nbc = 0, ngc = 0;
  for (std::size_t k = 1; k + 1 < nb; ++k) {
    birth_cuts[nbc++] =
        _mm256_set1_epi16(static_cast<short>((birth_cut_[k] - first_valid) ^ 0x8000));
  }
  for (const std::int32_t c : grade_cut_)
    grade_cuts[ngc++] = _mm256_set1_epi16(static_cast<short>(c ^ 0x8000));
  const int ngs = static_cast<int>(grade_cut_.size() + 1);
  const __m256i sex_mul = _mm256_set1_epi16(static_cast<short>(static_cast<int>(nb + 1) * ngs)),
                bseg_mul = _mm256_set1_epi16(static_cast<short>(ngs)), one = _mm256_set1_epi16(1);
  const avx2::Columns cols(in, out);

  // Large outputs do not fit in the caches: write fired_rows past them.
  const bool stream = n >= (std::size_t{1} << 20);
  constexpr std::size_t kChunk = 512;
  alignas(32) std::uint16_t key[kChunk];
  alignas(32) std::uint32_t packed[kChunk];
  for (std::size_t base = 0; base < n; base += kChunk) {
    const std::size_t len = std::min(kChunk, n - base);
    // (1) Keys.
    for (std::size_t j = 0; j < len; j += 16) {
      const std::size_t i = base + j;
      cols.prefetch(i, j, 1024);
      const __m128i sex = load16(sex_col + i), hukou = load16(hukou_col + i),
                    status = load16(status_col + i), employment = load16(employment_col + i),
                    flags = load16(flags_col + i);
      const __m256i birth0 = load32(birth_col + i), birth1 = load32(birth_col + i + 8);
      const __m128i bad8 = avx2::bad_bytes(sex, hukou, status, employment, flags);
      const __m256i bad32 = avx2::bad_births(birth0, birth1, first_valid32, last_valid32);
      if (!(_mm_testz_si128(bad8, bad8) & _mm256_testz_si256(bad32, bad32))) {
        PersonColumns prefix = in;
        prefix.count = i + 16;
        report_bad_row(prefix);
      }
      // Field classes by byte shuffles (the values are checked, so in range).
      const __m128i flags_cls = avx2::flags_class(flags, flags_class01, flags_class23);
      const __m256i fkey = _mm256_add_epi16(
          _mm256_add_epi16(
              times(_mm_shuffle_epi8(status_class, status), status_stride),
              times(_mm_shuffle_epi8(employment_class, employment), employment_stride)),
          _mm256_add_epi16(times(_mm_shuffle_epi8(hukou_class, hukou), hukou_stride),
                           times(flags_cls, flags_stride)));
      // Birth-day offsets from first_valid (saturated to 0..65535), biased.
      const __m256i birth16 = _mm256_xor_si256(
          _mm256_permute4x64_epi64(_mm256_packus_epi32(_mm256_sub_epi32(birth0, first_valid32),
                                                       _mm256_sub_epi32(birth1, first_valid32)),
                                   0xD8),
          bias);
      __m256i bseg = one;  // compares give -1 per cut passed
      for (std::size_t k = 0; k < nbc; ++k)
        bseg = _mm256_sub_epi16(bseg, above(birth16, birth_cuts[k]));
      const __m256i grade16 = _mm256_xor_si256(load32(grade_col + i), bias);
      __m256i gseg = _mm256_setzero_si256();
      for (std::size_t k = 0; k < ngc; ++k)
        gseg = _mm256_sub_epi16(gseg, above(grade16, grade_cuts[k]));
      const __m256i key16 = _mm256_add_epi16(
          _mm256_add_epi16(fkey, _mm256_mullo_epi16(_mm256_cvtepu8_epi16(sex), sex_mul)),
          _mm256_add_epi16(_mm256_mullo_epi16(bseg, bseg_mul), gseg));
      _mm256_store_si256(reinterpret_cast<__m256i *>(key + j), key16);
    }
    // (2) Lookups.
    for (std::size_t j = 0; j < len; ++j) packed[j] = answer[key[j]];
    if (fired_col && fired_in_answer_ && stream) {
      // Streaming stores: no read of the destination's lines before writing them.
      for (std::size_t j = 0; j < len; ++j) {
        _mm_stream_si64(reinterpret_cast<long long *>(fired_col + base + j),
                        static_cast<long long>(fired_set[packed[j] >> 24]));
      }
    } else if (fired_col && fired_in_answer_) {
      for (std::size_t j = 0; j < len; ++j) fired_col[base + j] = fired_set[packed[j] >> 24];
    } else if (fired_col) {
      for (std::size_t j = 0; j < len; ++j) fired_col[base + j] = fired_by_key[key[j]];
    }
    if (fired_set_col) {
      for (std::size_t j = 0; j < len; j += 16)
        avx2::store_top_bytes(packed + j, fired_set_col + base + j);
    }
    // (3) Split into the three output columns.
    for (std::size_t j = 0; j < len; j += 16) {
      avx2::store_answers(packed + j, scheme_col + base + j, actions_col + base + j,
                          groups_col + base + j);
    }
  }
  if (stream) _mm_sfence();
  return n;
}
#else
std::size_t PreparedRecommendation::Impl::run_avx2(const PersonColumns&,
                                                   const RecommendationColumns&) const {
  return 0;
}
#endif

}  // namespace canbao
