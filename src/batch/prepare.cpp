// PreparedRecommendation's constructor: the batch tables for one as-of date,
// step by step. Each condition part is evaluated once per possible value (per
// field value, per birth-day segment, per grade segment) into bitmasks over
// the rows; when the combinations are few enough, the answer for every
// combination follows (the kernels: kernel_*.cpp). Every kernel gives the
// answers of the one-person evaluation (src/recommender.cpp) for any policy
// that loads (tests/unit/test_batch.cpp, test_random_policies.cpp check).
#include <algorithm>
#include <limits>
#include <string>
#include <unordered_map>

#include <canbao/error.hpp>
#include <canbao/recommender.hpp>
#include <canbao/retirement.hpp>

#include "../detail/condition.hpp"
#include "prepared.hpp"

namespace canbao {

using namespace detail;

namespace {

// Cut-offs so that a range condition on a value is constant between them:
// segment = number of cut-offs below the value.
void add_range_cuts(const std::optional<IntRange>& r, std::vector<std::int32_t>& cuts, int lo,
                    int hi) {
  if (!r) return;
  if (r->min > lo && r->min <= hi) cuts.push_back(r->min - 1);
  if (r->max >= lo && r->max < hi) cuts.push_back(r->max);
}

void sort_unique(std::vector<std::int32_t>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

// The dense id of mask `m` (the next free one when new; `distinct` lists them).
std::uint32_t dense_id(std::unordered_map<std::uint64_t, std::uint32_t>& ids,
                       std::vector<std::uint64_t>& distinct, std::uint64_t m) {
  const auto it = ids.emplace(m, static_cast<std::uint32_t>(distinct.size()));
  if (it.second) distinct.push_back(m);
  return it.first->second;
}

// The rules with every declared fact at its default, for the fixed-field
// kernels: a fact test that holds for the default is dropped, one that fails
// makes its condition match nobody (the row keeps its number); the women's
// retirement age by a fact becomes that of the default. Nothing when a fact
// has no default, the rules have over 63 rows or extend a built-in list (the
// fixed kernels hold the built-in lists only). Years already paid become the
// default's months for everyone (Impl's prior_months).
std::optional<RecommendationRules> rules_at_defaults(const RecommendationRules& rules) {
  if (rules.row_count() > 63 || rules.facts.builtin.extended()) return std::nullopt;
  for (const FactDeclaration& f : rules.facts.facts)
    if (!f.default_value) return std::nullopt;
  RecommendationRules fixed = rules;
  auto fix = [&](PersonCondition& c) {
    bool holds = true;
    for (const FactTest& t : c.facts)
      holds = holds && fact_test_holds(
                           t, *rules.facts.facts[static_cast<std::size_t>(t.fact)].default_value);
    c.facts.clear();
    if (!holds) c.age = IntRange{1, 0};  // matches nobody
  };
  for (DecisionTable& t : fixed.tables) {
    fix(t.when);
    for (DecisionRow& r : t.rows) fix(r.when);
    if (t.otherwise) fix(t.otherwise->when);
  }
  if (const auto& by = rules.female_original_age_by_fact) {
    fixed.female_original_retirement_age = by->age[static_cast<std::size_t>(
        *rules.facts.facts[static_cast<std::size_t>(by->fact)].default_value)];
    fixed.female_original_age_by_fact.reset();
  }
  fixed.prior_contribution_years_fact.reset();
  fixed.facts = FactDeclarations{};
  return fixed;
}

}  // namespace

// The categorical facts' classes (values with equal row masks) and the fact
// class of every combination of them.
struct PreparedRecommendation::Impl::FactClasses {
  std::vector<int> st_rep, em_rep, hk_rep, fl_rep;  // a representative value per class
  std::size_t combos = 0;                           // product of the class counts
  std::vector<std::uint32_t> combo_class;           // combination -> fact class
  std::vector<std::uint64_t> fact_masks;            // fact class -> its row mask
};

PreparedRecommendation::PreparedRecommendation(const Recommender& recommender, Date as_of)
    : PreparedRecommendation(recommender.rules(), as_of) {}

PreparedRecommendation::PreparedRecommendation(const RecommendationRules& rules, Date as_of) {
  // The same range as the one-person path (derive): say so before any date arithmetic.
  if (!is_supported_date(as_of)) throw ArgumentError("as_of", unsupported_date_message(as_of));
  const RowIndex index(rules);
  impl_ = std::make_unique<const Impl>(index, as_of);
}

PreparedRecommendation::~PreparedRecommendation() = default;

PreparedRecommendation::Impl::Impl(const RowIndex& index, Date as_of, int prior_months)
    : as_of_(as_of), prior_months_(prior_months) {
  if (GenericBatch::needed(*index.rules)) {
    generic_ = std::make_unique<const GenericBatch>(index, as_of);
    std::unique_ptr<Impl> at_defaults;
    if (const auto fixed = rules_at_defaults(*index.rules)) {
      const RowIndex fixed_index(*fixed);
      const int prior_months = detail::prior_contribution_months(
          *index.rules, detail::declared_values(*index.rules, Person{}));
      at_defaults = std::make_unique<Impl>(fixed_index, as_of, prior_months);
    }
    number_fired_sets(at_defaults.get());
    at_defaults_ = std::move(at_defaults);
    return;
  }
  facts_ = index.rules->facts.facts;
  prepare_categorical_masks(index);
  prepare_birth_segments(index, as_of);
  prepare_grade_segments(index);
  prepare_table_bits(index);
  prepare_outcome_bytes(index);
  const FactClasses facts = prepare_fact_classes();
  if (prepare_answer_table(facts)) {
    prepare_direct_table(facts);
  } else {
    sets_.none("no answer table numbers them (" + reason_ + ")");
  }
}

// One numbering for both kernels of generic rules: the generic table's
// sets, then those of the tables at defaults it lacks (a call without fact
// columns runs the latter), at most kMaxFiredSets in all. The tables at
// defaults are renumbered to it, so that their kernels copy the number as
// it is (no lookup a person on the common path).
void PreparedRecommendation::Impl::number_fired_sets(Impl* at_defaults) {
  const FiredSets& own = generic_->fired_sets();
  if (!own.available()) {
    sets_.none(own.reason());
    return;
  }
  std::vector<std::uint64_t> all = own.words();
  if (at_defaults) {
    const FiredSets& theirs = at_defaults->sets_;
    bool numbered = theirs.available() && own.words_per_set() == 1;
    std::vector<std::uint8_t> number(numbered ? theirs.count() : 0);
    for (std::size_t k = 0; numbered && k < theirs.count(); ++k) {
      const int found = own.find(theirs.at(k));
      const std::size_t n = found >= 0 ? static_cast<std::size_t>(found) : all.size();
      if (found < 0) all.push_back(*theirs.at(k));
      numbered = n < kMaxFiredSets;
      number[k] = static_cast<std::uint8_t>(n);
    }
    if (numbered) {
      at_defaults->renumber_fired_sets(number, all);
    } else {
      all.resize(own.words().size());
    }
    at_defaults->sets_numbered_ = numbered;
  }
  sets_.set(std::move(all), own.words_per_set());
}

// Set k becomes number[k] in every packed answer; `sets` is the new numbering's words.
void PreparedRecommendation::Impl::renumber_fired_sets(const std::vector<std::uint8_t>& number,
                                                       const std::vector<std::uint64_t>& sets) {
  auto renumber = [&](std::vector<std::uint32_t>& answers) {
    for (std::uint32_t& a : answers) a = (a & 0xFFFFFFu) | std::uint32_t{number[a >> 24]} << 24;
  };
  renumber(answer_by_date_key_);
  renumber(direct_answer_);
  fired_set_ = sets;
  sets_.set(sets, 1);
}

void PreparedRecommendation::Impl::prepare_categorical_masks(const RowIndex& index) {
  const int n = index.row_count();
  // Categorical fields: one mask per possible byte value; out-of-enum values
  // get no valid bit.
  for (int v = 0; v < 256; ++v) {
    std::uint64_t status = v < kInsuranceStatusCount ? kValid : 0;
    std::uint64_t employment = v < kEmploymentCount ? kValid : 0;
    std::uint64_t flags = (v & ~kAllPersonFlags) == 0 ? kValid : 0;
    for (int bit = 0; bit < n; ++bit) {
      const PersonCondition& g = index.guard(bit);
      const PersonCondition& c = index.row(bit).when;
      const std::uint64_t b = std::uint64_t{1} << bit;
      if (status && status_part(g, v) && status_part(c, v)) status |= b;
      if (employment && employment_part(g, v) && employment_part(c, v)) employment |= b;
      if (flags && flags_part(g, static_cast<unsigned>(v)) &&
          flags_part(c, static_cast<unsigned>(v)))
        flags |= b;
    }
    status_mask_[v] = status;
    employment_mask_[v] = employment;
    flags_mask_[v] = flags;
  }
  for (int sh = 0; sh < 4; ++sh) {
    const bool hukou = sh & 1;
    std::uint64_t m = kValid;
    for (int bit = 0; bit < n; ++bit) {
      const PersonCondition& g = index.guard(bit);
      const PersonCondition& c = index.row(bit).when;
      if (hukou_part(g, hukou) && hukou_part(c, hukou)) {
        m |= std::uint64_t{1} << bit;
      }
    }
    hukou_mask_[sh] = m;
  }
  hukou_mask_[4] = 0;
}

void PreparedRecommendation::Impl::prepare_birth_segments(const RowIndex& index, Date as_of) {
  const int n = index.row_count();
  const Date last_birth = std::min(as_of, *Date::from_ymd(2200, 12, 31));
  first_birth_day_ = Date::from_ymd(1900, 1, 1)->day_number();
  last_birth_day_ = last_birth.day_number();
  const int female_age = index.rules->female_original_retirement_age;
  const std::vector<std::int32_t> cuts =
      birth_cuts(index, as_of,
                 {BirthVariant{Sex::male, female_age, prior_months_},
                  BirthVariant{Sex::female, female_age, prior_months_}});
  birth_cut_ = cuts;
  for (int sx = 0; sx < 2; ++sx) {
    const Sex sex = sx == 0 ? Sex::male : Sex::female;
    auto& masks = birth_mask_[sx];
    masks.assign(cuts.size() + 1, 0);
    // Segment 0 (before 1900) and the last (after the last valid day) stay
    // 0; in segment s every birth day behaves like its last day, cuts[s].
    for (std::size_t s = 1; s < cuts.size(); ++s) {
      Person p;
      p.sex = sex;
      p.birth_date = Date::from_day_number(cuts[s]);
      const DerivedFacts f = detail::derive(p, as_of, female_age, prior_months_);
      std::uint64_t m = kValid;
      for (int bit = 0; bit < n; ++bit) {
        if (birth_part(index.guard(bit), sex, f) && birth_part(index.row(bit).when, sex, f)) {
          m |= std::uint64_t{1} << bit;
        }
      }
      masks[s] = m;
    }
  }
}

void PreparedRecommendation::Impl::prepare_grade_segments(const RowIndex& index) {
  const int n = index.row_count();
  std::vector<std::int32_t> gcuts;
  for_each_condition(*index.rules, [&](const PersonCondition& c) {
    add_range_cuts(c.resident_grade_yuan, gcuts, 0, 65535);
  });
  sort_unique(gcuts);
  grade_cut_ = gcuts;
  grade_mask_.assign(gcuts.size() + 1, 0);
  for (std::size_t s = 0; s <= gcuts.size(); ++s) {
    const int rep = gcuts.empty() ? 0 : s < gcuts.size() ? gcuts[s] : gcuts.back() + 1;
    std::uint64_t m = kValid;
    for (int bit = 0; bit < n; ++bit) {
      if (grade_part(index.guard(bit), rep) && grade_part(index.row(bit).when, rep))
        m |= std::uint64_t{1} << bit;
    }
    grade_mask_[s] = m;
  }
}

void PreparedRecommendation::Impl::prepare_table_bits(const RowIndex& index) {
  const int n = index.row_count();
  for (int bit = 0; bit < n; ++bit) {
    const int t = index.rows[bit].table;
    if (static_cast<int>(table_bits_.size()) <= t) {
      table_bits_.resize(t + 1);
      table_bits_[t].first = index.rules->tables[t].hit == HitPolicy::first;
    }
    (index.rows[bit].row < 0 ? table_bits_[t].otherwise : table_bits_[t].rows) |= std::uint64_t{1}
                                                                                  << bit;
  }
}

void PreparedRecommendation::Impl::prepare_outcome_bytes(const RowIndex& index) {
  const int n = index.row_count();
  outcome_bytes_ = (n + 7) / 8;
  for (int k = 0; k < outcome_bytes_; ++k) {
    for (int v = 0; v < 256; ++v) {
      std::uint32_t packed = 0;
      for (int j = 0; j < 8; ++j) {
        const int bit = k * 8 + j;
        if (!(v & (1 << j)) || bit >= n) continue;
        const Outcome& o = index.row(bit).then;
        packed |= (o.scheme ? static_cast<std::uint32_t>(*o.scheme) : 0u) |
                  (static_cast<std::uint32_t>(o.actions) << 8) |
                  (static_cast<std::uint32_t>(o.groups) << 16);
      }
      outcome_by_byte_[k][v] = packed;
    }
  }
}

PreparedRecommendation::Impl::FactClasses PreparedRecommendation::Impl::prepare_fact_classes() {
  // Per-field classes (values with equal row masks, used by the AVX2 kernel
  // too): the fact class of a key depends only on them, so only the
  // combinations of classes are hashed, not all 8064 keys.
  auto classes = [](const std::uint64_t* masks, int count, std::uint8_t* cls,
                    std::vector<int>& rep) {
    std::vector<std::uint64_t> distinct;
    for (int v = 0; v < count; ++v) {
      const auto it = std::find(distinct.begin(), distinct.end(), masks[v]);
      cls[v] = static_cast<std::uint8_t>(it - distinct.begin());
      if (it == distinct.end()) distinct.push_back(masks[v]), rep.push_back(v);
    }
  };
  FactClasses facts;
  std::vector<int>&st_rep = facts.st_rep, &em_rep = facts.em_rep, &hk_rep = facts.hk_rep,
  &fl_rep = facts.fl_rep;
  classes(status_mask_.data(), kInsuranceStatusCount, status_class_.data(), st_rep);
  classes(employment_mask_.data(), kEmploymentCount, employment_class_.data(), em_rep);
  classes(hukou_mask_.data(), 2, hukou_class_.data(), hk_rep);
  classes(flags_mask_.data(), 64, flags_class_.data(), fl_rep);
  std::unordered_map<std::uint64_t, std::uint32_t> fact_ids;
  facts.combos = st_rep.size() * em_rep.size() * hk_rep.size() * fl_rep.size();
  facts.combo_class.resize(facts.combos);
  for (std::size_t sc = 0; sc < st_rep.size(); ++sc)
    for (std::size_t ec = 0; ec < em_rep.size(); ++ec)
      for (std::size_t hc = 0; hc < hk_rep.size(); ++hc)
        for (std::size_t fc = 0; fc < fl_rep.size(); ++fc) {
          // hukou_mask_ rows do not depend on sex: index 0/1 is male with hukou 0/1.
          const std::uint64_t m = status_mask_[st_rep[sc]] & employment_mask_[em_rep[ec]] &
                                  hukou_mask_[hk_rep[hc]] & flags_mask_[fl_rep[fc]];
          facts.combo_class[((sc * em_rep.size() + ec) * hk_rep.size() + hc) * fl_rep.size() + fc] =
              dense_id(fact_ids, facts.fact_masks, m);
        }
  return facts;
}

// False (per-person kernel) when the answer table would be too large.
bool PreparedRecommendation::Impl::prepare_answer_table(const FactClasses& facts) {
  // The answer table, when small enough: fact classes x date keys, a date
  // key being (sex * birth segments + birth segment) * grade segments + grade segment.
  const std::size_t nbs = birth_cut_.size() + 1, ngs = grade_cut_.size() + 1;
  const std::size_t date_keys = 2 * nbs * ngs;
  const std::size_t table_size = facts.fact_masks.size() * date_keys;
  const std::string sizes = std::to_string(facts.fact_masks.size()) + " fact classes x " +
                            std::to_string(date_keys) + " date keys (" +
                            std::to_string(birth_cut_.size() + 1) + " birth-day and " +
                            std::to_string(ngs) + " grade segments)";
  if (table_size > kMaxAnswerTable) {
    best_ = BatchKernelKind::per_person;
    reason_ = "an answer table would need " + sizes + " = " + std::to_string(table_size) +
              " entries, over " + std::to_string(kMaxAnswerTable);
    return false;
  }
  std::unordered_map<std::uint64_t, std::uint32_t> date_ids;
  std::vector<std::uint64_t> date_masks;
  std::vector<std::uint32_t> date_class(date_keys);
  for (std::size_t sx = 0; sx < 2; ++sx) {
    for (std::size_t bs = 0; bs < nbs; ++bs) {
      for (std::size_t gs = 0; gs < ngs; ++gs) {
        date_class[(sx * nbs + bs) * ngs + gs] =
            dense_id(date_ids, date_masks, birth_mask_[sx][bs] & grade_mask_[gs]);
      }
    }
  }
  const std::size_t date_classes = date_masks.size();
  std::vector<std::uint32_t> answer(facts.fact_masks.size() * date_classes);
  std::vector<std::uint64_t> answer_fired(answer.size());
  for (std::size_t f = 0; f < facts.fact_masks.size(); ++f) {
    for (std::size_t d = 0; d < date_classes; ++d) {
      answer[f * date_classes + d] =
          resolve(facts.fact_masks[f] & date_masks[d], &answer_fired[f * date_classes + d]);
    }
  }
  // fired_rows compactly: the distinct fired-row sets are few (one per
  // outcome path through the tables), so when at most 256 their id rides in
  // the packed answer's spare top byte and a person's fired rows cost one
  // load from a table in L1, not a second lookup in a table as large as the
  // answers (issue 15: fired_rows cost 55 % of the batch).
  std::unordered_map<std::uint64_t, std::uint32_t> fired_ids;
  std::vector<std::uint32_t> fired_id(answer.size());
  bool spare_byte = true;
  for (std::size_t a = 0; a < answer.size(); ++a) {
    fired_id[a] = dense_id(fired_ids, fired_set_, answer_fired[a]);
    spare_byte = spare_byte && (answer[a] >> 24) == 0;
  }
  fired_in_answer_ = spare_byte && fired_set_.size() <= kMaxFiredSets;
  if (fired_in_answer_) {
    for (std::size_t a = 0; a < answer.size(); ++a) answer[a] |= fired_id[a] << 24;
    sets_.set(fired_set_, 1);
  } else {
    sets_.none("its answer table has " + std::to_string(fired_set_.size()) +
               " distinct fired-row sets, over " + std::to_string(kMaxFiredSets) +
               " (fired_set is one byte a person)");
    fired_set_.clear();
    fired_by_date_key_.resize(table_size);
  }
  answer_by_date_key_.resize(table_size);
  for (std::size_t f = 0; f < facts.fact_masks.size(); ++f) {
    for (std::size_t k = 0; k < date_keys; ++k) {
      answer_by_date_key_[f * date_keys + k] = answer[f * date_classes + date_class[k]];
      if (!fired_in_answer_)
        fired_by_date_key_[f * date_keys + k] = answer_fired[f * date_classes + date_class[k]];
    }
  }
  fact_offset_.resize(std::size_t{kInsuranceStatusCount} * kEmploymentCount * 2 * 64);
  for (int st = 0; st < kInsuranceStatusCount; ++st)
    for (int em = 0; em < kEmploymentCount; ++em)
      for (int hk = 0; hk < 2; ++hk)
        for (int fl = 0; fl < 64; ++fl) {
          const std::size_t combo =
              ((status_class_[st] * facts.em_rep.size() + employment_class_[em]) *
                   facts.hk_rep.size() +
               hukou_class_[hk]) *
                  facts.fl_rep.size() +
              flags_class_[fl];
          fact_offset_[((st * kEmploymentCount + em) * 2 + hk) * 64 + fl] =
              static_cast<std::uint32_t>(facts.combo_class[combo] * date_keys);
        }
  best_ = BatchKernelKind::portable_table;
  reason_ = "answer table of " + sizes + " = " + std::to_string(table_size) + " entries";
  return true;
}

void PreparedRecommendation::Impl::prepare_direct_table(const FactClasses& facts) {
  // The AVX2 direct table (see batch.hpp). Its birth days are 16-bit offsets
  // from the first valid day, saturating: exact while every middle cut-off
  // is less than 65535 days after it.
  const std::size_t date_keys = 2 * (birth_cut_.size() + 1) * (grade_cut_.size() + 1);
  const std::size_t direct_size = facts.combos * date_keys;
  const std::size_t nb = birth_cut_.size();
  std::string no_direct;
  if (direct_size > kMaxDirectTable) {
    no_direct = "its direct table would need " + std::to_string(direct_size) + " entries, over " +
                std::to_string(kMaxDirectTable) + " (16-bit keys)";
  } else if (nb < 2) {
    no_direct = "no valid birth day";
  } else if (nb - 2 > kMaxAvx2Cuts || grade_cut_.size() > kMaxAvx2Cuts) {
    no_direct = "over " + std::to_string(kMaxAvx2Cuts) + " birth-day or grade cut-offs";
  } else if (nb > 2 && birth_cut_[nb - 2] - first_birth_day_ >= 65535) {
    no_direct = "a birth-day cut-off 65535 days or more after 1900-01-01";
  }
  if (!no_direct.empty()) {
    reason_ += "; no AVX2 table: " + no_direct;
    return;
  }
  best_ = BatchKernelKind::avx2_table;
  reason_ += "; AVX2 direct table of " + std::to_string(direct_size) + " entries";
  class_stride_[3] = static_cast<std::uint16_t>(date_keys);
  class_stride_[2] = static_cast<std::uint16_t>(class_stride_[3] * facts.fl_rep.size());
  class_stride_[1] = static_cast<std::uint16_t>(class_stride_[2] * facts.hk_rep.size());
  class_stride_[0] = static_cast<std::uint16_t>(class_stride_[1] * facts.em_rep.size());
  direct_answer_.resize(direct_size);
  if (!fired_in_answer_) direct_fired_.resize(direct_size);
  for (std::size_t sc = 0; sc < facts.st_rep.size(); ++sc)
    for (std::size_t ec = 0; ec < facts.em_rep.size(); ++ec)
      for (std::size_t hc = 0; hc < facts.hk_rep.size(); ++hc)
        for (std::size_t fc = 0; fc < facts.fl_rep.size(); ++fc) {
          const std::size_t fkey =
              ((facts.st_rep[sc] * std::size_t{kEmploymentCount} + facts.em_rep[ec]) * 2 +
               facts.hk_rep[hc]) *
                  64 +
              facts.fl_rep[fc];
          const std::size_t to = sc * class_stride_[0] + ec * class_stride_[1] +
                                 hc * class_stride_[2] + fc * class_stride_[3];
          for (std::size_t k = 0; k < date_keys; ++k) {
            direct_answer_[to + k] = answer_by_date_key_[fact_offset_[fkey] + k];
            if (!fired_in_answer_)
              direct_fired_[to + k] = fired_by_date_key_[fact_offset_[fkey] + k];
          }
        }
}

}  // namespace canbao
