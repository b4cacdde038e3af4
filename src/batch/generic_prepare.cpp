// GenericBatch's tables (generic.hpp), step by step: each dimension's classes
// or segments with their row masks, the birth segments per variant, the
// tables' bit ranges, and, when small enough, the answer for every fact class
// and date key. Every condition part comes from detail/condition.hpp, as in
// the one-person evaluation (tests/unit/test_declared_facts.cpp and the random
// policy tests compare them).
#include <algorithm>
#include <limits>
#include <unordered_map>

#include <canbao/error.hpp>
#include <canbao/retirement.hpp>

#include "../detail/condition.hpp"
#include "generic.hpp"

namespace canbao::detail {

namespace {

// An answer table of at most this many entries (8 bytes each).
constexpr std::size_t kMaxAnswers = std::size_t{1} << 21;
// Combined categorical keys: one 4-byte offset each.
constexpr std::size_t kMaxCatKeys = std::size_t{1} << 22;
// Flag sets of more flags than this are not tabulated (2^16 values).
constexpr std::size_t kMaxTabulatedFlags = 16;

void sort_unique(std::vector<std::int32_t>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

struct MaskHash {
  std::size_t operator()(const std::vector<std::uint64_t>& m) const {
    std::size_t h = 1469598103934665603ull;
    for (const std::uint64_t w : m) h = (h ^ w) * 1099511628211ull;
    return h;
  }
};

// Dense ids for distinct masks (each `words` long), appended to `distinct`.
class MaskIds {
 public:
  explicit MaskIds(std::size_t words) : words_(words) {}
  std::uint32_t id(const std::uint64_t* m, std::vector<std::uint64_t>& distinct) {
    std::vector<std::uint64_t> key(m, m + words_);
    const auto it = ids_.emplace(std::move(key), static_cast<std::uint32_t>(ids_.size()));
    if (it.second) distinct.insert(distinct.end(), m, m + words_);
    return it.first->second;
  }
  std::size_t size() const { return ids_.size(); }

 private:
  std::size_t words_;
  std::unordered_map<std::vector<std::uint64_t>, std::uint32_t, MaskHash> ids_;
};

}  // namespace

bool GenericBatch::needed(const RecommendationRules& rules) {
  bool tests_facts = false;
  for_each_condition(
      rules, [&](const PersonCondition& c) { tests_facts = tests_facts || !c.facts.empty(); });
  return tests_facts || rules.female_original_age_by_fact.has_value() || rules.row_count() > 63 ||
         rules.facts.builtin.extended() || rules.prior_contribution_years_fact.has_value();
}

GenericBatch::GenericBatch(const RowIndex& index, Date as_of) : as_of_(as_of) {
  const RecommendationRules& rules = *index.rules;
  words_ = static_cast<std::size_t>(rules.fired_row_words());
  facts_ = rules.facts.facts;
  builtin_ = rules.facts.builtin;
  statuses_ = static_cast<std::uint32_t>(builtin_.count(BuiltinList::insurance_status));
  employments_ = static_cast<std::uint32_t>(builtin_.count(BuiltinList::employment));
  flag_values_ = std::uint32_t{1} << builtin_.count(BuiltinList::flags);
  for (const FactDeclaration& f : facts_) {
    if (f.type == FactType::flags && f.values.size() > kMaxTabulatedFlags) reference_ = true;
  }
  if (reference_) {
    rules_ = std::make_shared<const RecommendationRules>(rules);
    index_ = std::make_unique<RowIndex>(*rules_);
    best_ = BatchKernelKind::per_person;
    reason_ = "one-person evaluation per person: a flag set of over " +
              std::to_string(kMaxTabulatedFlags) + " flags is too large to tabulate";
    sets_.none("no answer table numbers them (" + reason_ + ")");
    return;
  }
  prepare_dimensions(index);
  prepare_birth(index);
  prepare_tables(index);
  prepare_answers();
  if (answer_.empty()) sets_.none("no answer table numbers them (" + reason_ + ")");
}

void GenericBatch::prepare_dimensions(const RowIndex& index) {
  const int n = index.row_count();
  // The mask of the rows whose guard and own condition hold for a value.
  auto mask_of = [&](auto holds) {
    std::vector<std::uint64_t> m(words_, 0);
    for (int bit = 0; bit < n; ++bit) {
      if (holds(index.guard(bit)) && holds(index.row(bit).when))
        m[static_cast<std::size_t>(bit / 64)] |= std::uint64_t{1} << (bit % 64);
    }
    return m;
  };
  auto add_cat = [&](const char* column, int fact, std::uint32_t domain, auto holds) {
    CatDim d;
    d.column = column;
    d.fact = fact;
    d.domain = domain;
    d.cls.resize(domain);
    MaskIds ids(words_);
    for (std::uint32_t v = 0; v < domain; ++v) {
      const std::vector<std::uint64_t> m =
          mask_of([&](const PersonCondition& c) { return holds(c, static_cast<int>(v)); });
      d.cls[v] = ids.id(m.data(), d.masks);
    }
    d.classes = ids.size();
    cat_.push_back(std::move(d));
  };
  add_cat("hukou_local", -1, 2,
          [](const PersonCondition& c, int v) { return hukou_part(c, v != 0); });
  add_cat("insurance_status", -1, statuses_,
          [](const PersonCondition& c, int v) { return status_part(c, v); });
  add_cat("employment", -1, employments_,
          [](const PersonCondition& c, int v) { return employment_part(c, v); });
  add_cat("flags", -1, flag_values_,
          [](const PersonCondition& c, int v) { return flags_part(c, static_cast<unsigned>(v)); });
  // The grade, then each declared fact.
  auto add_ord = [&](int fact, std::int32_t lo, std::int32_t hi, auto range_of, auto holds) {
    OrdDim d;
    d.fact = fact;
    d.lo = lo;
    d.hi = hi;
    for_each_condition(*index.rules, [&](const PersonCondition& c) {
      const std::optional<IntRange> r = range_of(c);
      if (!r) return;
      if (r->min > lo && r->min <= hi) d.cuts.push_back(r->min - 1);
      if (r->max >= lo && r->max < hi) d.cuts.push_back(r->max);
    });
    sort_unique(d.cuts);
    for (std::size_t s = 0; s <= d.cuts.size(); ++s) {
      // Every value of segment s behaves like its first one.
      const std::int32_t rep = s == 0 ? lo : d.cuts[s - 1] + 1;
      const std::vector<std::uint64_t> m =
          mask_of([&](const PersonCondition& c) { return holds(c, rep); });
      d.masks.insert(d.masks.end(), m.begin(), m.end());
    }
    ord_.push_back(std::move(d));
  };
  add_ord(
      -1, 0, 65535, [](const PersonCondition& c) { return c.resident_grade_yuan; },
      [](const PersonCondition& c, std::int32_t v) { return grade_part(c, v); });
  for (std::size_t f = 0; f < facts_.size(); ++f) {
    const FactDeclaration& decl = facts_[f];
    const int fact = static_cast<int>(f);
    auto holds = [fact](const PersonCondition& c, std::int32_t v) { return fact_part(c, fact, v); };
    if (decl.type == FactType::integer || decl.type == FactType::date) {
      add_ord(
          fact, decl.min, decl.max,
          [fact](const PersonCondition& c) -> std::optional<IntRange> {
            for (const FactTest& t : c.facts)
              if (t.fact == fact) return t.range;
            return std::nullopt;
          },
          holds);
    } else {
      const std::uint32_t domain = decl.type == FactType::boolean ? 2u
                                   : decl.type == FactType::enumeration
                                       ? static_cast<std::uint32_t>(decl.values.size())
                                       : std::uint32_t{1} << decl.values.size();
      add_cat(nullptr, fact, domain, [&](const PersonCondition& c, int v) { return holds(c, v); });
    }
  }
}

void GenericBatch::prepare_birth(const RowIndex& index) {
  const RecommendationRules& rules = *index.rules;
  const int n = index.row_count();
  int bases = 2;  // male, female; or male, female-50, female-55
  if (const auto& by = rules.female_original_age_by_fact) {
    female_age_fact_ = by->fact;
    bases = 3;
    for (const std::uint8_t age : by->age) variant_of_value_.push_back(age == 50 ? 1 : 2);
  }
  // Years already paid matter up to the largest minimum (20 years once the
  // 2025 reform is complete): one class per year below it, one for the rest.
  bool counts_prior = false;
  for_each_condition(rules, [&](const PersonCondition& c) {
    counts_prior =
        counts_prior || c.contribution_years_still_needed || c.reaches_minimum_by_retirement;
  });
  if (rules.prior_contribution_years_fact && counts_prior) {
    prior_fact_ = *rules.prior_contribution_years_fact;
    int most = 0;
    for (int year = 1900; year <= 2300; ++year)
      most = std::max(most, minimum_contribution_months(year));
    const FactDeclaration& f = facts_[static_cast<std::size_t>(prior_fact_)];
    prior_classes_ = static_cast<std::uint32_t>(std::min((most + 11) / 12, f.max) + 1);
  }
  variants_ = bases * static_cast<int>(prior_classes_);
  // Variant v: base v / prior_classes_ (its sex and women's original
  // retirement age), prior years v % prior_classes_.
  auto variant = [&](int v) {
    const int b = v / static_cast<int>(prior_classes_);
    const Sex sex = b == 0 ? Sex::male : Sex::female;
    const int female_age = bases == 2 ? rules.female_original_retirement_age : b == 1 ? 50 : 55;
    return BirthVariant{sex, female_age, 12 * (v % static_cast<int>(prior_classes_))};
  };
  first_birth_day_ = Date::from_ymd(1900, 1, 1)->day_number();
  last_birth_day_ = std::min(as_of_, *Date::from_ymd(2200, 12, 31)).day_number();
  std::vector<BirthVariant> variants;
  for (int v = 0; v < variants_; ++v) variants.push_back(variant(v));
  const std::vector<std::int32_t> cuts = birth_cuts(index, as_of_, variants);
  birth_cut_ = cuts;
  if (cuts.size() > 64 && cuts.size() < 65535 && last_birth_day_ >= first_birth_day_) {
    // A binary search per person mispredicts on every step; one lookup does not.
    birth_seg_of_day_.resize(static_cast<std::size_t>(last_birth_day_ - first_birth_day_) + 1);
    std::size_t s = 0;
    for (std::int32_t d = first_birth_day_; d <= last_birth_day_; ++d) {
      while (s < cuts.size() && cuts[s] < d) ++s;
      birth_seg_of_day_[static_cast<std::size_t>(d - first_birth_day_)] =
          static_cast<std::uint16_t>(s);
    }
  }
  const std::size_t segments = cuts.size() + 1;
  birth_masks_.assign(static_cast<std::size_t>(variants_) * segments * words_, 0);
  std::vector<DerivedFacts> base_facts(segments);
  // Rows whose condition or guard counts the months already paid.
  std::vector<int> counting_rows;
  auto counts = [](const PersonCondition& c) {
    return c.contribution_years_still_needed || c.reaches_minimum_by_retirement;
  };
  for (int bit = 0; bit < n; ++bit)
    if (counts(index.guard(bit)) || counts(index.row(bit).when)) counting_rows.push_back(bit);
  for (int v = 0; v < variants_; ++v) {
    Person p;
    const BirthVariant bv = variant(v);
    p.sex = bv.sex;
    // Segment 0 (before 1900) and the last (after the last valid day) stay
    // empty; in segment s every birth day behaves like its last day, cuts[s].
    for (std::size_t s = 1; s < cuts.size(); ++s) {
      p.birth_date = Date::from_day_number(cuts[s]);
      // The variants of one base differ only in the months paid: derive
      // once, and past the first class re-test only the rows that count them.
      const bool first_class = v % static_cast<int>(prior_classes_) == 0;
      if (first_class) base_facts[s] = derive(p, as_of_, bv.female_original_age);
      DerivedFacts f = base_facts[s];
      f.prior_contribution_months = bv.prior_contribution_months;
      std::uint64_t* m = &birth_masks_[(static_cast<std::size_t>(v) * segments + s) * words_];
      auto test = [&](int bit) {
        const std::uint64_t b = std::uint64_t{1} << (bit % 64);
        if (birth_part(index.guard(bit), p.sex, f) && birth_part(index.row(bit).when, p.sex, f))
          m[bit / 64] |= b;
        else
          m[bit / 64] &= ~b;
      };
      if (first_class) {
        for (int bit = 0; bit < n; ++bit) test(bit);
      } else {
        const std::uint64_t* first =
            m - static_cast<std::size_t>(v % static_cast<int>(prior_classes_)) * segments * words_;
        std::copy(first, first + words_, m);
        for (const int bit : counting_rows) test(bit);
      }
    }
  }
}

void GenericBatch::prepare_tables(const RowIndex& index) {
  const int n = index.row_count();
  for (int bit = 0; bit < n; ++bit) {
    const std::size_t t = static_cast<std::size_t>(index.rows[bit].table);
    if (tables_.size() <= t) {
      tables_.resize(t + 1);
      tables_[t].begin = bit;
      tables_[t].end = bit;
      tables_[t].first = index.rules->tables[t].hit == HitPolicy::first;
    }
    if (index.rows[bit].row < 0) {
      tables_[t].otherwise = bit;
    } else {
      tables_[t].end = bit + 1;
    }
    const Outcome& o = index.row(bit).then;
    outcome_.push_back((o.scheme ? static_cast<std::uint32_t>(*o.scheme) : 0u) |
                       (static_cast<std::uint32_t>(o.actions) << 8) |
                       (static_cast<std::uint32_t>(o.groups) << 16));
  }
}

std::uint32_t GenericBatch::resolve(const std::uint64_t* m, std::uint64_t* fired) const {
  std::fill(fired, fired + words_, 0);
  std::uint32_t packed = 0;
  for (const TableRange& t : tables_) {
    // The table's rows, a word at a time: only set bits cost anything.
    bool any = false;
    for (int w = t.begin / 64; w * 64 < t.end && !(any && t.first); ++w) {
      std::uint64_t h = m[w];
      if (w == t.begin / 64) h &= ~std::uint64_t{0} << (t.begin % 64);
      if ((w + 1) * 64 > t.end) h &= (std::uint64_t{1} << (t.end % 64)) - 1;
      if (t.first) h &= ~h + 1;  // the lowest: the first hit
      for (std::uint64_t b = h; b != 0; b &= b - 1) {
        packed |= outcome_[static_cast<std::size_t>(w * 64 + __builtin_ctzll(b))];
      }
      fired[w] |= h;
      any = any || h != 0;
    }
    if (!any && t.otherwise >= 0 && ((m[t.otherwise / 64] >> (t.otherwise % 64)) & 1u)) {
      fired[t.otherwise / 64] |= std::uint64_t{1} << (t.otherwise % 64);
      packed |= outcome_[static_cast<std::size_t>(t.otherwise)];
    }
  }
  return packed;
}

void GenericBatch::prepare_answers() {
  // Date keys: (variant * birth segments + segment) * Π ordered segments + ...
  std::size_t date_keys = static_cast<std::size_t>(variants_) * (birth_cut_.size() + 1);
  std::size_t stride = 1;
  for (auto it = ord_.rbegin(); it != ord_.rend(); ++it) {
    it->stride = static_cast<std::uint32_t>(stride);
    stride *= it->cuts.size() + 1;
  }
  date_keys *= stride;
  const std::uint32_t birth_stride = static_cast<std::uint32_t>(stride);
  std::size_t cat_keys = 1;
  for (auto it = cat_.rbegin(); it != cat_.rend(); ++it) {
    it->stride = static_cast<std::uint32_t>(cat_keys);
    cat_keys *= it->classes;
    if (cat_keys > kMaxCatKeys) break;
  }
  const std::string sizes = std::to_string(cat_keys) + " categorical class combinations, " +
                            std::to_string(date_keys) + " date keys";
  if (cat_keys > kMaxCatKeys || date_keys > kMaxAnswers) {
    best_ = BatchKernelKind::per_person;
    reason_ = "row masks per person: " + sizes + " are too many for an answer table";
    return;
  }
  // Fact classes: distinct ANDs of the categorical masks.
  std::vector<std::uint64_t> fact_masks;
  MaskIds fact_ids(words_);
  std::vector<std::uint32_t> fact_class(cat_keys);
  std::vector<std::uint64_t> m(words_);
  for (std::size_t key = 0; key < cat_keys; ++key) {
    std::fill(m.begin(), m.end(), ~std::uint64_t{0});
    for (const CatDim& d : cat_) {
      const std::size_t c = key / d.stride % d.classes;
      for (std::size_t w = 0; w < words_; ++w) m[w] &= d.masks[c * words_ + w];
    }
    fact_class[key] = fact_ids.id(m.data(), fact_masks);
  }
  const std::size_t classes = fact_ids.size();
  if (classes * date_keys > kMaxAnswers) {
    best_ = BatchKernelKind::per_person;
    reason_ = "row masks per person: an answer table would need " + std::to_string(classes) +
              " fact classes x " + std::to_string(date_keys) + " date keys";
    return;
  }
  // Date classes: distinct ANDs of the birth and ordered masks.
  std::vector<std::uint64_t> date_masks;
  MaskIds date_ids(words_);
  std::vector<std::uint32_t> date_class(date_keys);
  for (std::size_t key = 0; key < date_keys; ++key) {
    const std::size_t vb = key / birth_stride;  // variant * segments + segment
    for (std::size_t w = 0; w < words_; ++w) m[w] = birth_masks_[vb * words_ + w];
    for (const OrdDim& d : ord_) {
      const std::size_t s = key / d.stride % (d.cuts.size() + 1);
      for (std::size_t w = 0; w < words_; ++w) m[w] &= d.masks[s * words_ + w];
    }
    date_class[key] = date_ids.id(m.data(), date_masks);
  }
  // Answers per (fact class, date class), then spread over the date keys.
  MaskIds fired_ids(words_);
  std::vector<std::uint64_t> fired(words_);
  const std::size_t dclasses = date_ids.size();
  std::vector<std::uint32_t> packed(classes * dclasses), fired_id(classes * dclasses);
  for (std::size_t f = 0; f < classes; ++f) {
    for (std::size_t d = 0; d < dclasses; ++d) {
      for (std::size_t w = 0; w < words_; ++w)
        m[w] = fact_masks[f * words_ + w] & date_masks[d * words_ + w];
      packed[f * dclasses + d] = resolve(m.data(), fired.data());
      fired_id[f * dclasses + d] = fired_ids.id(fired.data(), fired_sets_);
    }
  }
  fact_offset_.resize(cat_keys);
  date_keys_ = date_keys;
  avx2_ = avx2_fits();
  // The AVX2 kernel and small tables: one answer per (fact class, date key).
  // Otherwise (years already paid make thousands of date keys) keep the answers
  // per date class, a cache-sized table, and look the date class up first.
  two_level_ = classes * date_keys > kMaxSpreadAnswers;
  const std::size_t row = two_level_ ? dclasses : date_keys;
  // At most 256 fired sets (the usual case): their id rides in the packed
  // answer's spare top byte, so fired_rows costs no second table lookup.
  fired_in_answer_ =
      fired_ids.size() <= kMaxFiredSets &&
      std::all_of(packed.begin(), packed.end(), [](std::uint32_t p) { return p >> 24 == 0; });
  answer_.resize(classes * row);
  if (!fired_in_answer_) answer_fired_.resize(classes * row);
  for (std::size_t f = 0; f < classes; ++f) {
    for (std::size_t k = 0; k < row; ++k) {
      const std::size_t d = two_level_ ? k : date_class[k];
      answer_[f * row + k] = packed[f * dclasses + d];
      if (fired_in_answer_)
        answer_[f * row + k] |= fired_id[f * dclasses + d] << 24;
      else
        answer_fired_[f * row + k] = fired_id[f * dclasses + d];
    }
  }
  if (two_level_) date_class_ = std::move(date_class);
  if (fired_in_answer_) {
    sets_.set(fired_sets_, words_);
  } else {
    sets_.none("its answer table has " + std::to_string(fired_ids.size()) +
               " distinct fired-row sets, over " + std::to_string(kMaxFiredSets) +
               " (fired_set is one byte a person)");
  }
  for (CatDim& d : cat_) {
    d.key.resize(d.domain);
    for (std::uint32_t v = 0; v < d.domain; ++v) d.key[v] = d.cls[v] * d.stride;
  }
  birth_stride_ = birth_stride;
  // cat_[0..3] are hukou, status, employment and flags (prepare_dimensions).
  builtin_key_.resize(std::size_t{statuses_} * employments_ * 2 * flag_values_);
  for (std::uint32_t st = 0; st < statuses_; ++st)
    for (std::uint32_t em = 0; em < employments_; ++em)
      for (std::uint32_t hk = 0; hk < 2; ++hk)
        for (std::uint32_t fl = 0; fl < flag_values_; ++fl)
          builtin_key_[((st * employments_ + em) * 2 + hk) * flag_values_ + fl] =
              cat_[0].key[hk] + cat_[1].key[st] + cat_[2].key[em] + cat_[3].key[fl];
  for (std::size_t key = 0; key < cat_keys; ++key)
    fact_offset_[key] = static_cast<std::uint32_t>(fact_class[key] * row);
  best_ = avx2_ ? BatchKernelKind::avx2_table : BatchKernelKind::portable_table;
  reason_ =
      "answer table of " + std::to_string(classes) + " fact classes x " +
      std::to_string(date_keys) + " date keys (" + sizes + ", " + std::to_string(fired_ids.size()) +
      " distinct fired-row sets)" + (avx2_ ? ", keys computed with AVX2" : "") +
      (two_level_ ? ", answers per " + std::to_string(date_ids.size()) + " date classes" : "");
}

bool GenericBatch::avx2_fits() const {
  constexpr std::size_t k16 = std::size_t{1} << 16;
  bool fits = fact_offset_.size() <= k16 && date_keys_ <= k16;
  for (const CatDim& d : cat_) fits = fits && d.domain <= 64;
  // The AVX2 kernel checks and combines the built-in bytes with the built-in
  // lists' sizes (avx2.hpp); extended lists take the portable table kernel.
  fits = fits && !builtin_.extended();
  for (const OrdDim& d : ord_) fits = fits && d.cuts.size() <= kMaxAvx2GenericCuts;
  // Birth days as 16-bit offsets from the first valid day.
  // Birth days as 16-bit offsets from the first valid day; past
  // kMaxAvx2GenericCuts cut-offs, a segment per day (birth_seg_of_day_).
  return fits && variant_of_value_.size() <= 64 && birth_cut_.size() >= 2 &&
         (birth_cut_.size() - 2 <= kMaxAvx2GenericCuts || !birth_seg_of_day_.empty()) &&
         last_birth_day_ - first_birth_day_ < 65535;
}

}  // namespace canbao::detail
