// GenericBatch's kernels (generic.hpp): the input checks, the table kernel
// (two lookups a person after per-column passes the compiler vectorises),
// the row-mask kernel and the one-person reference.
#include <algorithm>
#include <string>

#include <canbao/error.hpp>

#include "../detail/batch_hooks.hpp"
#include "generic.hpp"
#include "prepared.hpp"

namespace canbao::detail {

namespace {
constexpr std::size_t kChunk = 512;

// The built-in byte column of a categorical dimension.
const std::uint8_t* byte_column(const PersonColumns& in, const char* name) {
  const std::string n = name;
  if (n == "hukou_local") return in.hukou_local;
  if (n == "insurance_status") return in.insurance_status;
  if (n == "employment") return in.employment;
  return in.flags;
}

ErrorPlace at(const std::string& column, std::size_t row) {
  return ErrorPlace{"columns." + column, std::nullopt, std::nullopt, row};
}
}  // namespace

BatchKernelKind GenericBatch::kernel() const {
  const BatchKernel forced = forced_batch_kernel();
  if (avx2_ && batch_avx2_available() && forced != BatchKernel::portable &&
      forced != BatchKernel::per_person)
    return BatchKernelKind::avx2_table;
  if (best_ != BatchKernelKind::per_person && forced != BatchKernel::per_person)
    return BatchKernelKind::portable_table;
  return BatchKernelKind::per_person;
}

const std::int32_t* GenericBatch::fact_column(const PersonColumns& in, int fact) const {
  const std::size_t f = static_cast<std::size_t>(fact);
  return in.facts && f < in.fact_count ? in.facts[f] : nullptr;
}

void check_fact_arguments(const PersonColumns& in, const std::vector<FactDeclaration>& facts) {
  if (in.fact_count != 0 && in.fact_count != facts.size()) {
    throw ArgumentError("columns.facts", std::to_string(in.fact_count) +
                                             " declared-fact columns given, the policy declares " +
                                             std::to_string(facts.size()));
  }
  for (std::size_t f = 0; f < facts.size(); ++f) {
    const std::int32_t* col = in.facts && f < in.fact_count ? in.facts[f] : nullptr;
    if (!col && !facts[f].default_value)
      throw ArgumentError("columns." + facts[f].id,
                          "column is missing, and the declared fact has no default");
  }
}

void check_fact_columns(const PersonColumns& in, const std::vector<FactDeclaration>& facts,
                        std::size_t first) {
  check_fact_arguments(in, facts);
  for (std::size_t f = 0; f < facts.size(); ++f) {
    const FactDeclaration& d = facts[f];
    const std::int32_t* col = in.facts && f < in.fact_count ? in.facts[f] : nullptr;
    if (!col) continue;
    // Every type's valid values form one range (flags: 0 .. 2^n - 1): a
    // loop the compiler vectorises, then the first bad row named.
    std::int32_t lo = d.min, hi = d.max;
    if (d.type == FactType::boolean) lo = 0, hi = 1;
    if (d.type == FactType::enumeration)
      lo = 0, hi = static_cast<std::int32_t>(d.values.size()) - 1;
    if (d.type == FactType::flags)
      lo = 0, hi = static_cast<std::int32_t>((std::uint32_t{1} << d.values.size()) - 1);
    const std::uint32_t ulo = static_cast<std::uint32_t>(lo);
    const std::uint32_t span = static_cast<std::uint32_t>(hi) - ulo;
    std::uint8_t bad = 0;
    for (std::size_t i = first; i < in.count; ++i)
      bad |= static_cast<std::uint8_t>(static_cast<std::uint32_t>(col[i]) - ulo > span);
    if (!bad) continue;
    for (std::size_t i = first; i < in.count; ++i) {
      if (d.valid(col[i])) continue;
      throw InputError(at(d.id, i), std::to_string(col[i]) + " is not a valid " +
                                        fact_type_name(d.type) + " value (expected " +
                                        d.expected() + ", encoded as in facts.hpp)");
    }
  }
}

void GenericBatch::run(const PersonColumns& in, const RecommendationColumns& out) const {
  if (in.count == 0) return;
  const BatchKernelKind k = kernel();
  if (k == BatchKernelKind::avx2_table) {
    // Checks the fact values as it reads them; the rest (under 16) as before.
    check_fact_arguments(in, facts_);
    const std::size_t done = run_table_avx2(in, out);
    if (done == in.count) return;
    check_fact_columns(in, facts_, done);
    return run_table(in, out, done);
  }
  check_fact_columns(in, facts_);
  if (reference_) return run_reference(in, out);
  if (k == BatchKernelKind::portable_table) return run_table(in, out, 0);
  run_masks(in, out);
}

void GenericBatch::check(const PersonColumns& in, std::size_t base, std::size_t len) const {
  // Simple loops over narrow lanes, so the compiler vectorises them.
  std::uint8_t bad = 0;
  for (std::size_t i = base; i < base + len; ++i) {
    bad |= static_cast<std::uint8_t>(
        (in.sex[i] > 1) | (in.hukou_local[i] > 1) | (in.insurance_status[i] >= statuses_) |
        (in.employment[i] >= employments_) | (in.flags[i] >= flag_values_));
  }
  const std::int32_t first = first_birth_day_, last = last_birth_day_;
  for (std::size_t i = base; i < base + len; ++i)
    bad |= static_cast<std::uint8_t>((in.birth_day[i] < first) | (in.birth_day[i] > last));
  if (!bad) return;
  for (std::size_t i = base; i < base + len; ++i)
    throw_if_bad_builtin(in, i, first_birth_day_, last_birth_day_, as_of_, builtin_);
  throw Error(ErrorKind::internal, "batch",
              "a row was flagged invalid but no field is out of range");
}

template <typename Seg>
void GenericBatch::birth_segments(const std::int32_t* day, std::size_t len, Seg* seg) const {
  if (birth_seg_of_day_.empty()) return count_segments(day, len, birth_cut_, seg);
  const std::uint16_t* table = birth_seg_of_day_.data();
  for (std::size_t j = 0; j < len; ++j) seg[j] = static_cast<Seg>(table[day[j] - first_birth_day_]);
}

void GenericBatch::run_table(const PersonColumns& in, const RecommendationColumns& out,
                             std::size_t start) const {
  // Byte segments when every cut list is short (four times the lanes of
  // 32-bit ones in the vectorised segment counts).
  bool narrow = birth_cut_.size() < 255;
  for (const OrdDim& d : ord_) narrow = narrow && d.cuts.size() < 255;
  if (narrow) return run_table_as<std::uint8_t>(in, out, start);
  run_table_as<std::uint32_t>(in, out, start);
}

template <typename Seg>
void GenericBatch::run_table_as(const PersonColumns& in, const RecommendationColumns& out,
                                std::size_t start) const {
  std::uint32_t ckey[kChunk], dkey[kChunk];
  Seg seg[kChunk];
  std::int32_t fill[kChunk];
  const std::size_t nbs = birth_cut_.size() + 1;
  for (std::size_t base = start; base < in.count; base += kChunk) {
    const std::size_t len = std::min(kChunk, in.count - base);
    check(in, base, len);
    // A declared column, or its default repeated.
    auto column = [&](int fact) -> const std::int32_t* {
      if (const std::int32_t* c = fact_column(in, fact)) return c + base;
      std::fill(fill, fill + len, *facts_[static_cast<std::size_t>(fact)].default_value);
      return fill;
    };
    // Facts left to their defaults add a constant.
    std::uint32_t constant = 0;
    for (const CatDim& d : cat_) {
      if (d.fact >= 0 && !fact_column(in, d.fact))
        constant += d.key[static_cast<std::uint32_t>(
            *facts_[static_cast<std::size_t>(d.fact)].default_value)];
    }
    {
      // The built-in fields: one index computed in a vectorised loop, one lookup.
      const std::uint8_t *st = in.insurance_status + base, *em = in.employment + base,
                         *hk = in.hukou_local + base, *fl = in.flags + base;
      const std::uint32_t ne = employments_, nf = flag_values_;
      std::uint32_t index[kChunk];
      for (std::size_t j = 0; j < len; ++j)
        index[j] = ((st[j] * ne + em[j]) * 2u + hk[j]) * nf + fl[j];
      const std::uint32_t* key = builtin_key_.data();
      for (std::size_t j = 0; j < len; ++j) ckey[j] = constant + key[index[j]];
    }
    for (const CatDim& d : cat_) {
      const std::uint32_t* key = d.key.data();
      if (d.fact < 0) continue;  // in builtin_key_
      if (const std::int32_t* c = fact_column(in, d.fact)) {
        const std::int32_t* v = c + base;
        for (std::size_t j = 0; j < len; ++j) ckey[j] += key[static_cast<std::uint32_t>(v[j])];
      }
    }
    // Birth: variant and segment.
    birth_segments(in.birth_day + base, len, seg);
    const std::uint8_t* sex = in.sex + base;
    std::uint32_t variant[kChunk];
    if (female_age_fact_ < 0) {
      for (std::size_t j = 0; j < len; ++j) variant[j] = sex[j];
    } else {
      const std::int32_t* cat = column(female_age_fact_);
      for (std::size_t j = 0; j < len; ++j)
        variant[j] = sex[j] ? variant_of_value_[static_cast<std::uint32_t>(cat[j])] : 0u;
    }
    if (prior_fact_ >= 0) {
      const std::int32_t* years = column(prior_fact_);
      for (std::size_t j = 0; j < len; ++j)
        variant[j] = variant[j] * prior_classes_ + prior_class(years[j]);
    }
    for (std::size_t j = 0; j < len; ++j)
      dkey[j] = (variant[j] * static_cast<std::uint32_t>(nbs) + seg[j]) * birth_stride_;
    for (const OrdDim& d : ord_) {
      if (d.cuts.empty()) continue;  // one segment: adds 0
      if (d.fact < 0) {
        count_segments(in.resident_grade_yuan + base, len, d.cuts, seg);
      } else if (const std::int32_t* c = fact_column(in, d.fact)) {
        count_segments(c + base, len, d.cuts, seg);
      } else {
        const std::int32_t v = *facts_[static_cast<std::size_t>(d.fact)].default_value;
        const std::uint32_t s = static_cast<std::uint32_t>(
            std::lower_bound(d.cuts.begin(), d.cuts.end(), v) - d.cuts.begin());
        for (std::size_t j = 0; j < len; ++j) dkey[j] += s * d.stride;
        continue;
      }
      for (std::size_t j = 0; j < len; ++j) dkey[j] += seg[j] * d.stride;
    }
    if (two_level_) {
      for (std::size_t j = 0; j < len; ++j) ckey[j] = fact_offset_[ckey[j]] + date_class_[dkey[j]];
    } else {
      for (std::size_t j = 0; j < len; ++j) ckey[j] = fact_offset_[ckey[j]] + dkey[j];
    }
    std::uint32_t packed[kChunk];
    for (std::size_t j = 0; j < len; ++j) packed[j] = answer_[ckey[j]];
    std::uint8_t* const scheme = out.scheme + base;
    std::uint8_t* const actions = out.actions + base;
    std::uint8_t* const groups = out.groups + base;
    for (std::size_t j = 0; j < len; ++j) scheme[j] = static_cast<std::uint8_t>(packed[j]);
    for (std::size_t j = 0; j < len; ++j) actions[j] = static_cast<std::uint8_t>(packed[j] >> 8);
    for (std::size_t j = 0; j < len; ++j) groups[j] = static_cast<std::uint8_t>(packed[j] >> 16);
    if (out.fired_rows) copy_fired_sets(packed, ckey, len, out.fired_rows + base * words_);
    if (out.fired_set) store_fired_set(packed, len, out.fired_set + base);
  }
}

void GenericBatch::run_masks(const PersonColumns& in, const RecommendationColumns& out) const {
  std::uint32_t seg[kChunk];
  std::int32_t fill[kChunk];
  std::vector<std::uint64_t> m(words_), fired(words_);
  std::vector<std::uint32_t> ord_seg(ord_.size() * kChunk), cat_cls(cat_.size() * kChunk);
  const std::size_t nbs = birth_cut_.size() + 1;
  for (std::size_t base = 0; base < in.count; base += kChunk) {
    const std::size_t len = std::min(kChunk, in.count - base);
    check(in, base, len);
    // Each categorical dimension's class per person, column by column.
    for (std::size_t k = 0; k < cat_.size(); ++k) {
      const CatDim& d = cat_[k];
      std::uint32_t* c = &cat_cls[k * kChunk];
      if (d.fact < 0) {
        const std::uint8_t* v = byte_column(in, d.column) + base;
        for (std::size_t j = 0; j < len; ++j) c[j] = d.cls[v[j]];
      } else if (const std::int32_t* col = fact_column(in, d.fact)) {
        for (std::size_t j = 0; j < len; ++j)
          c[j] = d.cls[static_cast<std::uint32_t>(col[base + j])];
      } else {
        std::fill(c, c + len,
                  d.cls[static_cast<std::uint32_t>(
                      *facts_[static_cast<std::size_t>(d.fact)].default_value)]);
      }
    }
    for (std::size_t k = 0; k < ord_.size(); ++k) {
      const OrdDim& d = ord_[k];
      std::uint32_t* s = &ord_seg[k * kChunk];
      if (d.fact < 0) {
        count_segments(in.resident_grade_yuan + base, len, d.cuts, s);
      } else if (const std::int32_t* c = fact_column(in, d.fact)) {
        count_segments(c + base, len, d.cuts, s);
      } else {
        std::fill(fill, fill + len, *facts_[static_cast<std::size_t>(d.fact)].default_value);
        count_segments(fill, len, d.cuts, s);
      }
    }
    birth_segments(in.birth_day + base, len, seg);
    for (std::size_t j = 0; j < len; ++j) {
      const std::size_t i = base + j;
      auto value = [&](int fact) {
        const std::int32_t* c = fact_column(in, fact);
        return c ? c[i] : *facts_[static_cast<std::size_t>(fact)].default_value;
      };
      std::uint32_t variant = in.sex[i];
      if (variant && female_age_fact_ >= 0)
        variant = variant_of_value_[static_cast<std::uint32_t>(value(female_age_fact_))];
      if (prior_fact_ >= 0) variant = variant * prior_classes_ + prior_class(value(prior_fact_));
      const std::uint64_t* b = &birth_masks_[(variant * nbs + seg[j]) * words_];
      std::copy(b, b + words_, m.begin());
      for (std::size_t k = 0; k < cat_.size(); ++k) {
        const std::uint64_t* cm = &cat_[k].masks[cat_cls[k * kChunk + j] * words_];
        for (std::size_t w = 0; w < words_; ++w) m[w] &= cm[w];
      }
      for (std::size_t k = 0; k < ord_.size(); ++k) {
        const std::uint64_t* om = &ord_[k].masks[ord_seg[k * kChunk + j] * words_];
        for (std::size_t w = 0; w < words_; ++w) m[w] &= om[w];
      }
      const std::uint32_t packed = resolve(m.data(), fired.data());
      out.scheme[i] = static_cast<std::uint8_t>(packed);
      out.actions[i] = static_cast<std::uint8_t>(packed >> 8);
      out.groups[i] = static_cast<std::uint8_t>(packed >> 16);
      if (out.fired_rows) std::copy(fired.begin(), fired.end(), out.fired_rows + i * words_);
      if (out.fired_set) out.fired_set[i] = sets_.number(fired.data());
    }
  }
}

void GenericBatch::run_reference(const PersonColumns& in, const RecommendationColumns& out) const {
  for (std::size_t base = 0; base < in.count; base += kChunk) {
    check(in, base, std::min(kChunk, in.count - base));
  }
  for (std::size_t i = 0; i < in.count; ++i) {
    Person p;
    p.sex = in.sex[i] ? Sex::female : Sex::male;
    p.birth_date = Date::from_day_number(in.birth_day[i]);
    p.hukou_local = in.hukou_local[i] != 0;
    p.insurance_status = static_cast<InsuranceStatus>(in.insurance_status[i]);
    p.employment = static_cast<Employment>(in.employment[i]);
    p.resident_grade_yuan = in.resident_grade_yuan[i];
    p.flags = in.flags[i];
    for (std::size_t f = 0; f < facts_.size(); ++f) {
      if (const std::int32_t* c = fact_column(in, static_cast<int>(f)))
        p.facts[facts_[f].id] = c[i];
    }
    const Recommendation r = evaluate(*index_, p, as_of_);
    out.scheme[i] = static_cast<std::uint8_t>(r.scheme);
    out.actions[i] = r.actions;
    out.groups[i] = r.groups;
    if (out.fired_rows)
      std::copy(r.fired_rows.begin(), r.fired_rows.end(), out.fired_rows + i * words_);
    if (out.fired_set) out.fired_set[i] = sets_.number(r.fired_rows.data());
  }
}

}  // namespace canbao::detail
