// The AVX2 kernel (x86-64 with GCC or Clang): one lookup per person in the
// direct table. Compiled with target attributes, not -mavx2, so the library
// runs on any x86-64; run.cpp picks it only when the CPU has AVX2.
#include <algorithm>
#include <cstdint>

#include "prepared.hpp"

#if CANBAO_BATCH_AVX2
#include <immintrin.h>
#endif

namespace canbao {

using detail::kMaxAvx2Cuts;

#if CANBAO_BATCH_AVX2
namespace {
// Sixteen byte classes times a 16-bit stride.
__attribute__((target("avx2"))) inline __m256i times(__m128i cls8, __m256i stride16) {
  return _mm256_mullo_epi16(_mm256_cvtepu8_epi16(cls8), stride16);
}

__attribute__((target("avx2"))) inline __m128i load16(const void* p) {
  return _mm_loadu_si128(static_cast<const __m128i*>(p));
}

__attribute__((target("avx2"))) inline __m256i load32(const void* p) {
  return _mm256_loadu_si256(static_cast<const __m256i*>(p));
}

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
    const PersonColumns& in, const RecommendationColumns& out) const {
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
  const std::int32_t* const birth_col = in.birth_day;
  const std::uint16_t* const grade_col = in.resident_grade_yuan;
  std::uint8_t *const scheme_col = out.scheme, *const actions_col = out.actions,
                      *const groups_col = out.groups;
  std::uint64_t* const fired_col = out.fired_rows;
  const std::uint32_t* const answer = direct_answer_.data();
  const std::uint64_t* const fired_by_key = direct_fired_.data();

  const __m128i status_class = load16(status_class_.data()),
                employment_class = load16(employment_class_.data()),
                hukou_class = load16(hukou_class_.data());
  // Flags (6 bits): the tables for bits 4-5 = 0 and 1 in one register, 2 and 3 in another.
  const __m256i flags_class01 = load32(flags_class_.data()),
                flags_class23 = load32(flags_class_.data() + 32);
  const __m256i flags_lane01 = _mm256_setr_epi64x(0, 0, 0x0101010101010101LL, 0x0101010101010101LL),
                flags_lane23 = _mm256_add_epi8(flags_lane01, _mm256_set1_epi8(2));
  const __m256i status_stride = _mm256_set1_epi16(static_cast<short>(class_stride_[0])),
                employment_stride = _mm256_set1_epi16(static_cast<short>(class_stride_[1])),
                hukou_stride = _mm256_set1_epi16(static_cast<short>(class_stride_[2])),
                flags_stride = _mm256_set1_epi16(static_cast<short>(class_stride_[3]));
  const __m128i max_sex = _mm_set1_epi8(1), max_hukou = _mm_set1_epi8(1),
                max_status = _mm_set1_epi8(kInsuranceStatusCount - 1),
                max_employment = _mm_set1_epi8(kEmploymentCount - 1),
                max_flags = _mm_set1_epi8(static_cast<char>(kAllPersonFlags));
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
  // Per 128-bit lane: byte 0 of each answer, then byte 1, then byte 2.
  const __m256i split = _mm256_setr_epi8(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, -1, -1, -1, -1, 0,
                                         4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, -1, -1, -1, -1);
  const __m256i join = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);

  constexpr std::size_t kChunk = 512;
  alignas(32) std::uint16_t key[kChunk];
  alignas(32) std::uint32_t packed[kChunk];
  for (std::size_t base = 0; base < n; base += kChunk) {
    const std::size_t len = std::min(kChunk, n - base);
    // (1) Keys.
    for (std::size_t j = 0; j < len; j += 16) {
      const std::size_t i = base + j;
      {
        constexpr std::size_t kAhead = 1024;
        const std::size_t f = i + kAhead;
        _mm_prefetch(reinterpret_cast<const char*>(birth_col + f), _MM_HINT_T0);
        _mm_prefetch(reinterpret_cast<const char*>(grade_col + f), _MM_HINT_T0);
        if ((j & 63) == 0) {
          _mm_prefetch(reinterpret_cast<const char*>(sex_col + f), _MM_HINT_T0);
          _mm_prefetch(reinterpret_cast<const char*>(hukou_col + f), _MM_HINT_T0);
          _mm_prefetch(reinterpret_cast<const char*>(status_col + f), _MM_HINT_T0);
          _mm_prefetch(reinterpret_cast<const char*>(employment_col + f), _MM_HINT_T0);
          _mm_prefetch(reinterpret_cast<const char*>(flags_col + f), _MM_HINT_T0);
          _mm_prefetch(reinterpret_cast<const char*>(scheme_col + f), _MM_HINT_T0);
          _mm_prefetch(reinterpret_cast<const char*>(actions_col + f), _MM_HINT_T0);
          _mm_prefetch(reinterpret_cast<const char*>(groups_col + f), _MM_HINT_T0);
        }
      }
      const __m128i sex = load16(sex_col + i), hukou = load16(hukou_col + i),
                    status = load16(status_col + i), employment = load16(employment_col + i),
                    flags = load16(flags_col + i);
      const __m256i birth0 = load32(birth_col + i), birth1 = load32(birth_col + i + 8);
      const __m128i bad8 =
          _mm_or_si128(_mm_or_si128(_mm_subs_epu8(sex, max_sex), _mm_subs_epu8(hukou, max_hukou)),
                       _mm_or_si128(_mm_or_si128(_mm_subs_epu8(status, max_status),
                                                 _mm_subs_epu8(employment, max_employment)),
                                    _mm_subs_epu8(flags, max_flags)));
      const __m256i bad32 =
          _mm256_or_si256(_mm256_or_si256(_mm256_cmpgt_epi32(first_valid32, birth0),
                                          _mm256_cmpgt_epi32(birth0, last_valid32)),
                          _mm256_or_si256(_mm256_cmpgt_epi32(first_valid32, birth1),
                                          _mm256_cmpgt_epi32(birth1, last_valid32)));
      if (!(_mm_testz_si128(bad8, bad8) & _mm256_testz_si256(bad32, bad32))) {
        PersonColumns prefix = in;
        prefix.count = i + 16;
        report_bad_row(prefix);
      }
      // Field classes by byte shuffles (the values are checked, so in range);
      // for flags the low nibble picks within a table, bits 4-5 the table.
      const __m256i flags2 = _mm256_broadcastsi128_si256(flags);
      const __m256i flags_high =
          _mm256_and_si256(_mm256_srli_epi16(flags2, 4), _mm256_set1_epi8(3));
      const __m256i low_nibble = _mm256_and_si256(flags2, _mm256_set1_epi8(15));
      const __m256i picked =
          _mm256_or_si256(_mm256_and_si256(_mm256_shuffle_epi8(flags_class01, low_nibble),
                                           _mm256_cmpeq_epi8(flags_high, flags_lane01)),
                          _mm256_and_si256(_mm256_shuffle_epi8(flags_class23, low_nibble),
                                           _mm256_cmpeq_epi8(flags_high, flags_lane23)));
      const __m128i flags_cls =
          _mm_or_si128(_mm256_castsi256_si128(picked), _mm256_extracti128_si256(picked, 1));
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
      _mm256_store_si256(reinterpret_cast<__m256i*>(key + j), key16);
    }
    // (2) Lookups.
    for (std::size_t j = 0; j < len; ++j) packed[j] = answer[key[j]];
    if (fired_col) {
      for (std::size_t j = 0; j < len; ++j) fired_col[base + j] = fired_by_key[key[j]];
    }
    // (3) Split into the three output columns.
    for (std::size_t j = 0; j < len; j += 16) {
      __m128i lo[2], hi[2];
      for (int half = 0; half < 2; ++half) {
        // qword 0: 8 scheme bytes, 1: actions, 2: groups.
        const __m256i bytes = _mm256_permutevar8x32_epi32(
            _mm256_shuffle_epi8(
                _mm256_load_si256(reinterpret_cast<const __m256i*>(packed + j + 8 * half)), split),
            join);
        lo[half] = _mm256_castsi256_si128(bytes);
        hi[half] = _mm256_extracti128_si256(bytes, 1);
      }
      const std::size_t i = base + j;
      _mm_storeu_si128(reinterpret_cast<__m128i*>(scheme_col + i),
                       _mm_unpacklo_epi64(lo[0], lo[1]));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(actions_col + i),
                       _mm_unpackhi_epi64(lo[0], lo[1]));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(groups_col + i),
                       _mm_unpacklo_epi64(hi[0], hi[1]));
    }
  }
  return n;
}
#else
std::size_t PreparedRecommendation::Impl::run_avx2(const PersonColumns&,
                                             const RecommendationColumns&) const {
  return 0;
}
#endif

}  // namespace canbao
