// GenericBatch's AVX2 table kernel (x86-64 with GCC or Clang; target
// attributes, not -mavx2, so the library runs on any x86-64): the portable
// table kernel's two lookups a person, with every key computed in registers
// for sixteen persons a step, and the fact columns checked in the same pass
// (one read of each column). GenericBatch::kernel() picks it only when the
// CPU has AVX2 and avx2_fits() (generic_prepare.cpp) held.
#include <algorithm>
#include <cstdint>
#include <vector>

#include <canbao/error.hpp>

#include "avx2.hpp"
#include "generic.hpp"
#include "prepared.hpp"

#if CANBAO_BATCH_AVX2
#include <immintrin.h>
#endif

namespace canbao::detail {

#if CANBAO_BATCH_AVX2
namespace {
static_assert(kInsuranceStatusCount <= 16 && kEmploymentCount <= 16 && kAllPersonFlags < 64,
              "the built-in fields' classes are one or four byte shuffles");

using avx2::load16;
using avx2::load32;
using avx2::times;
// Sixteen int32 values (known to be 0..255) as sixteen bytes, in order.
__attribute__((target("avx2"))) inline __m128i bytes_of(__m256i v0, __m256i v1) {
  const __m256i w = _mm256_permute4x64_epi64(_mm256_packus_epi32(v0, v1), 0xD8);
  return _mm_packus_epi16(_mm256_castsi256_si128(w), _mm256_extracti128_si256(w, 1));
}
// Sixteen int32 segments (small, non-negative) as sixteen 16-bit lanes.
__attribute__((target("avx2"))) inline __m256i words_of(__m256i v0, __m256i v1) {
  return _mm256_permute4x64_epi64(_mm256_packs_epi32(v0, v1), 0xD8);
}

// A byte table of up to 64 entries as four 16-byte shuffles. (Plain bytes:
// the kernel keeps these in vectors, and no SIMD type goes in a vector.)
struct ByteTable {
  std::uint8_t part[4][16] = {};
  int parts = 0;
};
ByteTable byte_table(const std::vector<std::uint32_t>& values) {
  ByteTable t;
  for (std::size_t v = 0; v < values.size(); ++v)
    t.part[v / 16][v % 16] = static_cast<std::uint8_t>(values[v]);
  t.parts = static_cast<int>((values.size() + 15) / 16);
  return t;
}
// table[v] for sixteen bytes v < 16 * parts: the low nibble picks within a
// part, bits 4-5 the part.
__attribute__((target("avx2"))) inline __m128i lookup(const ByteTable& t, __m128i v) {
  if (t.parts == 1) return _mm_shuffle_epi8(load16(t.part[0]), v);
  const __m128i high = _mm_and_si128(_mm_srli_epi16(v, 4), _mm_set1_epi8(3));
  const __m128i low = _mm_and_si128(v, _mm_set1_epi8(15));
  __m128i r = _mm_setzero_si128();
  for (int p = 0; p < t.parts; ++p) {
    r = _mm_or_si128(r, _mm_and_si128(_mm_shuffle_epi8(load16(t.part[p]), low),
                                      _mm_cmpeq_epi8(high, _mm_set1_epi8(static_cast<char>(p)))));
  }
  return r;
}

// A declared fact given as a column: its valid range (checked), and its part
// of a key: categorical (value -> class, times the stride) or ordered
// (segment = cuts passed, times the stride), or none (one class or segment).
struct FactKey {
  const std::int32_t* column;
  std::int32_t lo, span;
  bool categorical = false;
  ByteTable cls;
  std::vector<std::int32_t> cuts;
  short stride = 0;
};
}  // namespace

__attribute__((target("avx2"))) std::size_t GenericBatch::run_table_avx2(
    const PersonColumns& in, const RecommendationColumns& out) const {
  const std::size_t n = in.count & ~std::size_t{15};
  const std::size_t nb = birth_cut_.size();
  // Constant parts of the keys: facts left to their defaults.
  std::uint32_t cconst = 0, dconst = 0;
  std::vector<FactKey> keys(facts_.size());
  for (std::size_t f = 0; f < facts_.size(); ++f) {
    const FactDeclaration& d = facts_[f];
    std::int32_t lo = d.min, hi = d.max;
    if (d.type == FactType::boolean) lo = 0, hi = 1;
    if (d.type == FactType::enumeration)
      lo = 0, hi = static_cast<std::int32_t>(d.values.size()) - 1;
    if (d.type == FactType::flags)
      lo = 0, hi = static_cast<std::int32_t>((std::uint32_t{1} << d.values.size()) - 1);
    keys[f].column = fact_column(in, static_cast<int>(f));
    keys[f].lo = lo;
    keys[f].span =
        static_cast<std::int32_t>(static_cast<std::uint32_t>(hi) - static_cast<std::uint32_t>(lo));
  }
  for (const CatDim& d : cat_) {
    if (d.fact < 0) continue;  // the built-in fields, below
    if (fact_column(in, d.fact)) {
      FactKey& k = keys[static_cast<std::size_t>(d.fact)];
      k.categorical = d.classes > 1;
      k.cls = byte_table(d.cls);
      k.stride = static_cast<short>(d.stride);
    } else {
      cconst += d.key[static_cast<std::uint32_t>(
          *facts_[static_cast<std::size_t>(d.fact)].default_value)];
    }
  }
  __m256i grade_cuts[kMaxAvx2GenericCuts];
  std::size_t ngc = 0;
  __m256i grade_stride = _mm256_setzero_si256();
  for (const OrdDim& d : ord_) {
    if (d.cuts.empty()) continue;  // one segment: adds 0
    if (d.fact < 0) {
      for (const std::int32_t c : d.cuts)
        grade_cuts[ngc++] = _mm256_set1_epi16(static_cast<short>(c ^ 0x8000));
      grade_stride = _mm256_set1_epi16(static_cast<short>(d.stride));
    } else if (fact_column(in, d.fact)) {
      FactKey& k = keys[static_cast<std::size_t>(d.fact)];
      k.cuts = d.cuts;
      k.stride = static_cast<short>(d.stride);
    } else {
      const std::int32_t v = *facts_[static_cast<std::size_t>(d.fact)].default_value;
      dconst += static_cast<std::uint32_t>(std::lower_bound(d.cuts.begin(), d.cuts.end(), v) -
                                           d.cuts.begin()) *
                d.stride;
    }
  }
  keys.erase(std::remove_if(keys.begin(), keys.end(), [](const FactKey& k) { return !k.column; }),
             keys.end());
  // Birth: valid persons pass cut 0 and never the last: segment 1 plus the
  // middle cuts passed, on biased 16-bit offsets from the first valid day.
  const std::int32_t first_valid = first_birth_day_, last_valid = last_birth_day_;
  // Past kMaxAvx2GenericCuts middle cut-offs (avx2_fits) the segment is
  // looked up per day instead (birth_lookup, below) and none are kept here.
  __m256i birth_cuts[kMaxAvx2GenericCuts];
  std::size_t nbc = 0;
  if (nb >= 2 && nb - 2 <= kMaxAvx2GenericCuts) {
    for (std::size_t k = 1; k + 1 < nb; ++k)
      birth_cuts[nbc++] =
          _mm256_set1_epi16(static_cast<short>((birth_cut_[k] - first_valid) ^ 0x8000));
  }
  // The women's variant: 1 by default, or by a fact's value.
  const std::int32_t* variant_col =
      female_age_fact_ >= 0 ? fact_column(in, female_age_fact_) : nullptr;
  std::vector<std::uint32_t> vov(variant_of_value_.begin(), variant_of_value_.end());
  const ByteTable variant_table = byte_table(vov);
  // Years already paid: the variant times prior_classes_ plus the class,
  // min(years, prior_classes_ - 1) (the column is checked with the others).
  const std::int32_t* prior_col = prior_fact_ >= 0 ? fact_column(in, prior_fact_) : nullptr;
  const __m256i prior_classes16 = _mm256_set1_epi16(static_cast<short>(prior_classes_));
  const __m256i prior_top32 = _mm256_set1_epi32(static_cast<std::int32_t>(prior_classes_ - 1));
  const __m256i prior_const16 = _mm256_set1_epi16(static_cast<short>(
      prior_fact_ >= 0 && !prior_col
          ? prior_class(*facts_[static_cast<std::size_t>(prior_fact_)].default_value)
          : 0));
  // Past kMaxAvx2GenericCuts birth cut-offs the segment is looked up per day
  // after the vector pass (birth_seg_of_day_); the variant waits in vkey.
  const bool birth_lookup = nb - 2 > kMaxAvx2GenericCuts;
  const std::uint16_t* const seg_of_day = birth_seg_of_day_.data();
  std::uint8_t female_variant = 1;
  if (female_age_fact_ >= 0 && !variant_col)
    female_variant = variant_of_value_[static_cast<std::uint32_t>(
        *facts_[static_cast<std::size_t>(female_age_fact_)].default_value)];

  // The built-in fields (cat_[0..3]: hukou, status, employment, flags, by
  // prepare_dimensions) as in the fixed-field AVX2 kernel: byte shuffles;
  // the flags' 64 classes in two registers of two 16-byte tables each.
  const ByteTable hukou_t = byte_table(cat_[0].cls), status_t = byte_table(cat_[1].cls),
                  employment_t = byte_table(cat_[2].cls), flags_t = byte_table(cat_[3].cls);
  const __m128i hukou_class = load16(hukou_t.part[0]), status_class = load16(status_t.part[0]),
                employment_class = load16(employment_t.part[0]);
  const __m256i flags_class01 = load32(flags_t.part[0]), flags_class23 = load32(flags_t.part[2]);
  const __m256i hukou_stride = _mm256_set1_epi16(static_cast<short>(cat_[0].stride)),
                status_stride = _mm256_set1_epi16(static_cast<short>(cat_[1].stride)),
                employment_stride = _mm256_set1_epi16(static_cast<short>(cat_[2].stride)),
                flags_stride = _mm256_set1_epi16(static_cast<short>(cat_[3].stride));
  const __m256i bias = _mm256_set1_epi16(static_cast<short>(0x8000));
  const __m256i first_valid32 = _mm256_set1_epi32(first_valid),
                last_valid32 = _mm256_set1_epi32(last_valid);
  const __m256i nbs16 = _mm256_set1_epi16(static_cast<short>(nb + 1)),
                bstride16 = _mm256_set1_epi16(static_cast<short>(birth_stride_)),
                cconst16 = _mm256_set1_epi16(static_cast<short>(cconst)),
                dconst16 = _mm256_set1_epi16(static_cast<short>(dconst)),
                one16 = _mm256_set1_epi16(1);
  const __m128i one8 = _mm_set1_epi8(1), female8 = _mm_set1_epi8(static_cast<char>(female_variant));
  const __m256i ones = _mm256_set1_epi32(-1);
  const avx2::Columns cols(in, out);
  // Locals, not `in` / `out` members: byte stores may alias them.
  const std::uint8_t* const sex_col = in.sex;
  const std::uint8_t *const hukou_col = in.hukou_local, *const status_col = in.insurance_status,
                            *const employment_col = in.employment, *const flags_col = in.flags;
  const std::int32_t* const birth_col = in.birth_day;
  const std::uint16_t* const grade_col = in.resident_grade_yuan;
  std::uint8_t *const scheme_col = out.scheme, *const actions_col = out.actions,
                      *const groups_col = out.groups;
  std::uint64_t* const fired_col = out.fired_rows;
  const std::uint32_t *const offset = fact_offset_.data(), *const answer = answer_.data();

  constexpr std::size_t kChunk = 512, kAhead = 1024;
  alignas(32) std::uint16_t ckey[kChunk], dkey[kChunk], vkey[kChunk];
  alignas(32) std::uint32_t packed[kChunk];
  for (std::size_t base = 0; base < n; base += kChunk) {
    const std::size_t len = std::min(kChunk, n - base);
    // (1) Checks and keys, sixteen persons a step.
    for (std::size_t j = 0; j < len; j += 16) {
      const std::size_t i = base + j;
      cols.prefetch(i, j, kAhead);
      const __m128i sex = load16(sex_col + i), hukou = load16(hukou_col + i),
                    status = load16(status_col + i), employment = load16(employment_col + i),
                    flags = load16(flags_col + i);
      const __m256i birth0 = load32(birth_col + i), birth1 = load32(birth_col + i + 8);
      const __m128i bad8 = avx2::bad_bytes(sex, hukou, status, employment, flags);
      __m256i bad32 = avx2::bad_births(birth0, birth1, first_valid32, last_valid32);
      // Categorical key: each dimension's class times its stride.
      const __m128i flags_cls = avx2::flags_class(flags, flags_class01, flags_class23);
      __m256i c16 = _mm256_add_epi16(
          _mm256_add_epi16(
              _mm256_add_epi16(cconst16, times(_mm_shuffle_epi8(hukou_class, hukou), hukou_stride)),
              times(_mm_shuffle_epi8(status_class, status), status_stride)),
          _mm256_add_epi16(times(_mm_shuffle_epi8(employment_class, employment), employment_stride),
                           times(flags_cls, flags_stride)));
      // Date key: (variant * birth segments + segment) * birth stride + the
      // ordered dimensions' segments times their strides.
      __m128i variant = sex;
      if (female_age_fact_ >= 0) {
        const __m128i female = _mm_cmpeq_epi8(sex, one8);
        variant = _mm_and_si128(
            female, variant_col ? lookup(variant_table, bytes_of(load32(variant_col + i),
                                                                 load32(variant_col + i + 8)))
                                : female8);
      }
      const __m256i birth16 = _mm256_xor_si256(
          _mm256_permute4x64_epi64(_mm256_packus_epi32(_mm256_sub_epi32(birth0, first_valid32),
                                                       _mm256_sub_epi32(birth1, first_valid32)),
                                   0xD8),
          bias);
      __m256i variant16 = _mm256_cvtepu8_epi16(variant);
      if (prior_fact_ >= 0) {
        const __m256i pc = prior_col
                               ? words_of(_mm256_min_epi32(load32(prior_col + i), prior_top32),
                                          _mm256_min_epi32(load32(prior_col + i + 8), prior_top32))
                               : prior_const16;
        variant16 = _mm256_add_epi16(_mm256_mullo_epi16(variant16, prior_classes16), pc);
      }
      __m256i d16 = dconst16;
      if (birth_lookup) {
        _mm256_store_si256(reinterpret_cast<__m256i*>(vkey + j), variant16);
      } else {
        __m256i bseg = one16;  // compares give -1 per cut passed
        for (std::size_t k = 0; k < nbc; ++k)
          bseg = _mm256_sub_epi16(bseg, _mm256_cmpgt_epi16(birth16, birth_cuts[k]));
        d16 = _mm256_add_epi16(
            d16, _mm256_mullo_epi16(_mm256_add_epi16(_mm256_mullo_epi16(variant16, nbs16), bseg),
                                    bstride16));
      }
      if (ngc) {
        const __m256i grade16 = _mm256_xor_si256(load32(grade_col + i), bias);
        __m256i gseg = _mm256_setzero_si256();
        for (std::size_t k = 0; k < ngc; ++k)
          gseg = _mm256_sub_epi16(gseg, _mm256_cmpgt_epi16(grade16, grade_cuts[k]));
        d16 = _mm256_add_epi16(d16, _mm256_mullo_epi16(gseg, grade_stride));
      }
      // The declared fact columns: each read once, checked, then its part of a key.
      __m256i ok = ones;  // v - lo <= span (unsigned), per fact column
      for (const FactKey& k : keys) {
        _mm_prefetch(reinterpret_cast<const char*>(k.column + i + kAhead), _MM_HINT_T0);
        const __m256i v0 = load32(k.column + i), v1 = load32(k.column + i + 8);
        const __m256i lo = _mm256_set1_epi32(k.lo), span = _mm256_set1_epi32(k.span);
        const __m256i t0 = _mm256_sub_epi32(v0, lo), t1 = _mm256_sub_epi32(v1, lo);
        ok = _mm256_and_si256(ok,
                              _mm256_and_si256(_mm256_cmpeq_epi32(_mm256_min_epu32(t0, span), t0),
                                               _mm256_cmpeq_epi32(_mm256_min_epu32(t1, span), t1)));
        if (k.categorical) {
          c16 = _mm256_add_epi16(
              c16, times(lookup(k.cls, bytes_of(v0, v1)), _mm256_set1_epi16(k.stride)));
        } else if (!k.cuts.empty()) {
          __m256i s0 = _mm256_setzero_si256(), s1 = _mm256_setzero_si256();
          for (const std::int32_t c : k.cuts) {
            const __m256i cut = _mm256_set1_epi32(c);
            s0 = _mm256_sub_epi32(s0, _mm256_cmpgt_epi32(v0, cut));
            s1 = _mm256_sub_epi32(s1, _mm256_cmpgt_epi32(v1, cut));
          }
          d16 = _mm256_add_epi16(d16,
                                 _mm256_mullo_epi16(words_of(s0, s1), _mm256_set1_epi16(k.stride)));
        }
      }
      bad32 = _mm256_or_si256(bad32, _mm256_xor_si256(ok, ones));
      if (!(_mm_testz_si128(bad8, bad8) & _mm256_testz_si256(bad32, bad32))) {
        // The wording and order of the one-person checks: any bad fact
        // value first (by fact, then row), then the first bad built-in row.
        check_fact_columns(in, facts_);
        check(in, 0, i + 16);
        throw Error(ErrorKind::internal, "batch",
                    "a row was flagged invalid but no field is out of range");
      }
      _mm256_store_si256(reinterpret_cast<__m256i*>(ckey + j), c16);
      _mm256_store_si256(reinterpret_cast<__m256i*>(dkey + j), d16);
    }
    // (2) Two lookups a person.
    alignas(32) std::uint32_t index[kChunk];
    if (birth_lookup) {
      const std::uint32_t segments = static_cast<std::uint32_t>(nb + 1), stride = birth_stride_;
      for (std::size_t j = 0; j < len; ++j) {
        const std::uint16_t seg = seg_of_day[birth_col[base + j] - first_valid];
        dkey[j] = static_cast<std::uint16_t>(dkey[j] + (vkey[j] * segments + seg) * stride);
      }
    }
    if (two_level_) {
      for (std::size_t j = 0; j < len; ++j) index[j] = offset[ckey[j]] + date_class_[dkey[j]];
    } else {
      for (std::size_t j = 0; j < len; ++j) index[j] = offset[ckey[j]] + dkey[j];
    }
    for (std::size_t j = 0; j < len; ++j) packed[j] = answer[index[j]];
    if (fired_col) copy_fired_sets(packed, index, len, fired_col + base * words_);
    if (out.fired_set) {
      for (std::size_t j = 0; j < len; j += 16)
        avx2::store_top_bytes(packed + j, out.fired_set + base + j);
    }
    // (3) Split into the three output columns.
    for (std::size_t j = 0; j < len; j += 16) {
      avx2::store_answers(packed + j, scheme_col + base + j, actions_col + base + j,
                          groups_col + base + j);
    }
  }
  return n;
}
#else
std::size_t GenericBatch::run_table_avx2(const PersonColumns&, const RecommendationColumns&) const {
  return 0;
}
#endif

}  // namespace canbao::detail
