// The AVX2 pieces both table kernels use (kernel_avx2.cpp for the fixed
// fields, generic_avx2.cpp for declared facts): loads, the built-in fields'
// checks and prefetch, the 6-bit flags' class, and the split of packed answers
// into the three output columns. Target attributes, not -mavx2: callers run
// them only when the CPU has AVX2.
#pragma once

#include <cstddef>
#include <cstdint>

#include <canbao/batch.hpp>
#include <canbao/person.hpp>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

namespace canbao::detail::avx2 {

__attribute__((target("avx2"))) inline __m128i load16(const void* p) {
  return _mm_loadu_si128(static_cast<const __m128i*>(p));
}
__attribute__((target("avx2"))) inline __m256i load32(const void* p) {
  return _mm256_loadu_si256(static_cast<const __m256i*>(p));
}
// Sixteen byte values times a 16-bit stride.
__attribute__((target("avx2"))) inline __m256i times(__m128i v8, __m256i stride16) {
  return _mm256_mullo_epi16(_mm256_cvtepu8_epi16(v8), stride16);
}

// The built-in input and output columns of a call, as locals: byte stores
// may alias `in` / `out`, and the compiler would reload every pointer.
struct Columns {
  const std::uint8_t *sex, *hukou, *status, *employment, *flags;
  const std::int32_t* birth;
  const std::uint16_t* grade;
  std::uint8_t *scheme, *actions, *groups;
  Columns(const PersonColumns& in, const RecommendationColumns& out)
      : sex(in.sex),
        hukou(in.hukou_local),
        status(in.insurance_status),
        employment(in.employment),
        flags(in.flags),
        birth(in.birth_day),
        grade(in.resident_grade_yuan),
        scheme(out.scheme),
        actions(out.actions),
        groups(out.groups) {}

  // Inputs and outputs `ahead` persons past person i (the 16-person step j
  // of a chunk): the wide columns every step, the byte ones every fourth.
  __attribute__((target("avx2"))) void prefetch(std::size_t i, std::size_t j,
                                                std::size_t ahead) const {
    const std::size_t f = i + ahead;
    _mm_prefetch(reinterpret_cast<const char*>(birth + f), _MM_HINT_T0);
    _mm_prefetch(reinterpret_cast<const char*>(grade + f), _MM_HINT_T0);
    if ((j & 63) == 0) {
      for (const void* p :
           {static_cast<const void*>(sex + f), static_cast<const void*>(hukou + f),
            static_cast<const void*>(status + f), static_cast<const void*>(employment + f),
            static_cast<const void*>(flags + f), static_cast<const void*>(scheme + f),
            static_cast<const void*>(actions + f), static_cast<const void*>(groups + f)})
        _mm_prefetch(static_cast<const char*>(p), _MM_HINT_T0);
    }
  }
};

// Non-zero bytes where a built-in byte field of sixteen persons is out of range.
__attribute__((target("avx2"))) inline __m128i bad_bytes(__m128i sex, __m128i hukou, __m128i status,
                                                         __m128i employment, __m128i flags) {
  const __m128i one = _mm_set1_epi8(1);
  return _mm_or_si128(
      _mm_or_si128(_mm_subs_epu8(sex, one), _mm_subs_epu8(hukou, one)),
      _mm_or_si128(_mm_or_si128(_mm_subs_epu8(status, _mm_set1_epi8(kInsuranceStatusCount - 1)),
                                _mm_subs_epu8(employment, _mm_set1_epi8(kEmploymentCount - 1))),
                   _mm_subs_epu8(flags, _mm_set1_epi8(static_cast<char>(kAllPersonFlags)))));
}

// All ones where a birth day of sixteen persons is outside first..last.
__attribute__((target("avx2"))) inline __m256i bad_births(__m256i birth0, __m256i birth1,
                                                          __m256i first, __m256i last) {
  return _mm256_or_si256(
      _mm256_or_si256(_mm256_cmpgt_epi32(first, birth0), _mm256_cmpgt_epi32(birth0, last)),
      _mm256_or_si256(_mm256_cmpgt_epi32(first, birth1), _mm256_cmpgt_epi32(birth1, last)));
}

// The class of sixteen 6-bit flag sets from a 64-entry byte table held as
// two registers (entries 0-31 and 32-63): the low nibble picks within 16,
// bits 4-5 the quarter.
__attribute__((target("avx2"))) inline __m128i flags_class(__m128i flags, __m256i class01,
                                                           __m256i class23) {
  const __m256i lane01 = _mm256_setr_epi64x(0, 0, 0x0101010101010101LL, 0x0101010101010101LL);
  const __m256i lane23 = _mm256_add_epi8(lane01, _mm256_set1_epi8(2));
  const __m256i flags2 = _mm256_broadcastsi128_si256(flags);
  const __m256i high = _mm256_and_si256(_mm256_srli_epi16(flags2, 4), _mm256_set1_epi8(3));
  const __m256i low = _mm256_and_si256(flags2, _mm256_set1_epi8(15));
  const __m256i picked = _mm256_or_si256(
      _mm256_and_si256(_mm256_shuffle_epi8(class01, low), _mm256_cmpeq_epi8(high, lane01)),
      _mm256_and_si256(_mm256_shuffle_epi8(class23, low), _mm256_cmpeq_epi8(high, lane23)));
  return _mm_or_si128(_mm256_castsi256_si128(picked), _mm256_extracti128_si256(picked, 1));
}

// Sixteen packed answers (scheme | actions << 8 | groups << 16, 32-byte
// aligned) split into sixteen scheme, action and group bytes by byte shuffles.
__attribute__((target("avx2"))) inline void store_answers(const std::uint32_t* packed,
                                                          std::uint8_t* scheme,
                                                          std::uint8_t* actions,
                                                          std::uint8_t* groups) {
  // Per 128-bit lane: byte 0 of each answer, then byte 1, then byte 2.
  const __m256i split = _mm256_setr_epi8(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, -1, -1, -1, -1, 0,
                                         4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, -1, -1, -1, -1);
  const __m256i join = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
  __m128i lo[2], hi[2];
  for (int half = 0; half < 2; ++half) {
    // qword 0: 8 scheme bytes, 1: actions, 2: groups.
    const __m256i bytes = _mm256_permutevar8x32_epi32(
        _mm256_shuffle_epi8(_mm256_load_si256(reinterpret_cast<const __m256i*>(packed + 8 * half)),
                            split),
        join);
    lo[half] = _mm256_castsi256_si128(bytes);
    hi[half] = _mm256_extracti128_si256(bytes, 1);
  }
  _mm_storeu_si128(reinterpret_cast<__m128i*>(scheme), _mm_unpacklo_epi64(lo[0], lo[1]));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(actions), _mm_unpackhi_epi64(lo[0], lo[1]));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(groups), _mm_unpacklo_epi64(hi[0], hi[1]));
}

// Sixteen packed answers' bits 24-31 (the fired-set number, 32-byte
// aligned) as sixteen bytes: shifts and packs, no scalar byte stores.
__attribute__((target("avx2"))) inline void store_top_bytes(const std::uint32_t* packed,
                                                            std::uint8_t* out) {
  const __m256i a =
      _mm256_srli_epi32(_mm256_load_si256(reinterpret_cast<const __m256i*>(packed)), 24);
  const __m256i b =
      _mm256_srli_epi32(_mm256_load_si256(reinterpret_cast<const __m256i*>(packed + 8)), 24);
  // 16-bit: a0-3 b0-3 | a4-7 b4-7 -> a0-7 | b0-7; 8-bit: a0-7 a0-7 | b0-7 b0-7.
  const __m256i w = _mm256_permute4x64_epi64(_mm256_packus_epi32(a, b), 0xD8);
  const __m256i bytes = _mm256_permute4x64_epi64(_mm256_packus_epi16(w, w), 0x08);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out), _mm256_castsi256_si128(bytes));
}

}  // namespace canbao::detail::avx2
#endif
