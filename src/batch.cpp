// Batch recommendation. PreparedRecommendation evaluates each condition part
// once per possible value (per field value, per birth-day segment, per grade
// segment) into bitmasks over the rows and, when the combinations are few
// enough, the answer for every combination. run() then uses the fastest
// kernel those tables allow (BatchKernelKind in batch.hpp); every kernel
// gives the answers of RecommendationTables::evaluate() for any policy that
// loads (tests/unit/test_batch.cpp, test_random_policies.cpp check).
// Over 600 lines: splitting it by stage (prepare, portable, AVX2, per-person
// kernels) under src/batch/ is issue 10 item 2.
#include <canbao/batch.hpp>

#include <algorithm>
#include <atomic>
#include <string>
#include <unordered_map>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define CANBAO_BATCH_AVX2 1
#include <immintrin.h>
#else
#define CANBAO_BATCH_AVX2 0
#endif

#include <canbao/error.hpp>
#include <canbao/policy.hpp>
#include <canbao/retirement.hpp>

namespace canbao {

using detail::BatchKernel;

namespace {

std::atomic<BatchKernel> g_kernel{BatchKernel::automatic};

constexpr std::uint64_t kValid = std::uint64_t{1} << 63;

// Table limits. They choose a kernel, never refuse a policy: past them the
// next slower kernel runs with the same answers.
// The portable answer table: 12 bytes an entry, so 12 MB per as-of date kept.
constexpr std::size_t kMaxAnswerTable = std::size_t{1} << 20;
// The AVX2 direct table: its keys are 16-bit.
constexpr std::size_t kMaxDirectTable = 65536;
// The AVX2 kernel keeps each cut-off as a vector constant on the stack.
constexpr std::size_t kMaxAvx2Cuts = 256;

bool in_set(std::uint16_t set, int value) { return set == 0 || ((set >> value) & 1u) != 0; }

bool flags_part(const PersonCondition& c, unsigned flags) {
  if (c.flags_any && (flags & c.flags_any) == 0) return false;
  return (flags & c.flags_none) == 0;
}

// The parts of a condition that depend on sex and birth date.
bool birth_part(const PersonCondition& c, Sex sex, const DerivedFacts& f) {
  if (c.sex && *c.sex != sex) return false;
  if (c.age && !c.age->contains(f.age)) return false;
  if (c.years_to_retirement && !c.years_to_retirement->contains(f.years_to_retirement))
    return false;
  if (c.contributable_years_ge_minimum &&
      *c.contributable_years_ge_minimum != f.contributable_years_ge_minimum()) {
    return false;
  }
  return true;
}

bool grade_part(const PersonCondition& c, int grade) {
  return !c.resident_grade_yuan || c.resident_grade_yuan->contains(grade);
}

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

template <typename F>
void for_each_condition(const RecommendationTables& t, F f) {
  for (const DecisionTable& table : t.tables()) {
    f(table.when);
    for (const DecisionRow& row : table.rows) f(row.when);
    if (table.otherwise) f(table.otherwise->when);
  }
}

// seg[i] = number of cut-offs below v[i]: counting loops the compiler
// vectorises for the usual few cut-offs, a binary search past them. Seg
// must hold cuts.size().
template <typename Seg, typename T>
void count_segments(const T* v, std::size_t len, const std::vector<std::int32_t>& cuts, Seg* seg) {
  if (cuts.size() <= 64) {
    for (std::size_t i = 0; i < len; ++i) seg[i] = 0;
    for (const std::int32_t c : cuts) {
      for (std::size_t i = 0; i < len; ++i) seg[i] = static_cast<Seg>(seg[i] + (v[i] > c));
    }
  } else {
    for (std::size_t i = 0; i < len; ++i) {
      seg[i] = static_cast<Seg>(
          std::lower_bound(cuts.begin(), cuts.end(), static_cast<std::int32_t>(v[i])) -
          cuts.begin());
    }
  }
}

}  // namespace

const char* batch_kernel_name(BatchKernelKind kind) noexcept {
  switch (kind) {
    case BatchKernelKind::avx2_table:
      return "avx2_table";
    case BatchKernelKind::portable_table:
      return "portable_table";
    case BatchKernelKind::per_person:
      return "per_person";
  }
  return "?";
}

namespace detail {

void set_batch_kernel(BatchKernel kernel) { g_kernel.store(kernel, std::memory_order_relaxed); }

bool batch_avx2_available() {
#if CANBAO_BATCH_AVX2
  static const bool has = __builtin_cpu_supports("avx2");
  return has;
#else
  return false;
#endif
}

bool batch_avx2_table_built(const PreparedRecommendation& prepared) {
  return !prepared.direct_answer_.empty();
}

}  // namespace detail

PreparedRecommendation::PreparedRecommendation(const RecommendationTables& tables, Date as_of)
    : as_of_(as_of) {
  const int n = tables.row_count();
  auto guard_of = [&](int bit) -> const PersonCondition& {
    return tables.tables()[tables.row_table(bit)].when;
  };

  // Categorical fields: one mask per possible byte value; out-of-enum values
  // get no valid bit.
  for (int v = 0; v < 256; ++v) {
    std::uint64_t status = v < kInsuranceStatusCount ? kValid : 0;
    std::uint64_t employment = v < kEmploymentCount ? kValid : 0;
    std::uint64_t flags = (v & ~kAllPersonFlags) == 0 ? kValid : 0;
    for (int bit = 0; bit < n; ++bit) {
      const PersonCondition& g = guard_of(bit);
      const PersonCondition& c = tables.row(bit).when;
      const std::uint64_t b = std::uint64_t{1} << bit;
      if (status && in_set(g.insurance_status, v) && in_set(c.insurance_status, v)) status |= b;
      if (employment && in_set(g.employment, v) && in_set(c.employment, v)) employment |= b;
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
      const PersonCondition& g = guard_of(bit);
      const PersonCondition& c = tables.row(bit).when;
      if ((!g.hukou_local || *g.hukou_local == hukou) &&
          (!c.hukou_local || *c.hukou_local == hukou)) {
        m |= std::uint64_t{1} << bit;
      }
    }
    hukou_mask_[sh] = m;
  }
  hukou_mask_[4] = 0;

  // Birth days: valid from 1900-01-01 to as_of, at most 2200-12-31 (the
  // retirement schedule's years, RecommendationTables::derive); age n is
  // reached by everyone born on or before years_before(as_of, n).
  const Date first_birth = *Date::from_ymd(1900, 1, 1);
  const Date last_birth = std::min(as_of, *Date::from_ymd(2200, 12, 31));
  first_birth_day_ = first_birth.day_number();
  last_birth_day_ = last_birth.day_number();
  std::vector<std::int32_t> cuts;
  if (first_birth <= last_birth) {
    cuts = {first_birth_day_ - 1, last_birth_day_};
    auto age_cut = [&](int years) {
      if (years >= 0 && as_of.year() - years >= 1900) {
        const std::int32_t c = years_before(as_of, years).day_number();
        if (c < last_birth_day_) cuts.push_back(c);
      }
    };
    for_each_condition(tables, [&](const PersonCondition& c) {
      if (!c.age) return;
      if (c.age->min != std::numeric_limits<std::int32_t>::min()) age_cut(c.age->min);
      if (c.age->max != std::numeric_limits<std::int32_t>::max()) age_cut(c.age->max + 1);
    });
    if (tables.uses_retirement()) {
      // Retirement facts depend on the birth month only: cut wherever any
      // retirement condition changes value from one birth month to the next.
      std::vector<const PersonCondition*> conds;
      for_each_condition(tables, [&](const PersonCondition& c) {
        if (c.years_to_retirement || c.contributable_years_ge_minimum) conds.push_back(&c);
      });
      std::vector<char> sig(2 * conds.size()), prev;  // reused: ~3000 months a call
      for (Sex sex : {Sex::male, Sex::female}) {
        prev.clear();
        Person p;
        p.sex = sex;
        for (Date month = first_birth; month <= last_birth;) {
          p.birth_date = month;
          const DerivedFacts f = tables.derive(p, as_of);
          for (std::size_t k = 0; k < conds.size(); ++k) {
            const PersonCondition& c = *conds[k];
            sig[2 * k] =
                !c.years_to_retirement || c.years_to_retirement->contains(f.years_to_retirement);
            sig[2 * k + 1] =
                !c.contributable_years_ge_minimum ||
                *c.contributable_years_ge_minimum == f.contributable_years_ge_minimum();
          }
          if (!prev.empty() && sig != prev) cuts.push_back(month.day_number() - 1);
          prev = sig;
          const YearMonthDay ym = month.ymd();
          month = *Date::from_ymd(ym.month == 12 ? ym.year + 1 : ym.year,
                                  ym.month == 12 ? 1 : ym.month + 1, 1);
        }
      }
    }
    sort_unique(cuts);
  }
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
      const DerivedFacts f = tables.derive(p, as_of);
      std::uint64_t m = kValid;
      for (int bit = 0; bit < n; ++bit) {
        if (birth_part(guard_of(bit), sex, f) && birth_part(tables.row(bit).when, sex, f)) {
          m |= std::uint64_t{1} << bit;
        }
      }
      masks[s] = m;
    }
  }

  std::vector<std::int32_t> gcuts;
  for_each_condition(tables, [&](const PersonCondition& c) {
    add_range_cuts(c.resident_grade_yuan, gcuts, 0, 65535);
  });
  sort_unique(gcuts);
  grade_cut_ = gcuts;
  grade_mask_.assign(gcuts.size() + 1, 0);
  for (std::size_t s = 0; s <= gcuts.size(); ++s) {
    const int rep = gcuts.empty() ? 0 : s < gcuts.size() ? gcuts[s] : gcuts.back() + 1;
    std::uint64_t m = kValid;
    for (int bit = 0; bit < n; ++bit) {
      if (grade_part(guard_of(bit), rep) && grade_part(tables.row(bit).when, rep))
        m |= std::uint64_t{1} << bit;
    }
    grade_mask_[s] = m;
  }

  for (int bit = 0; bit < n; ++bit) {
    const int t = tables.row_table(bit);
    if (static_cast<int>(table_bits_.size()) <= t) {
      table_bits_.resize(t + 1);
      table_bits_[t].first = tables.tables()[t].hit == HitPolicy::first;
    }
    (tables.row_index(bit) < 0 ? table_bits_[t].otherwise : table_bits_[t].rows) |= std::uint64_t{1}
                                                                                    << bit;
  }

  outcome_bytes_ = (n + 7) / 8;
  for (int k = 0; k < outcome_bytes_; ++k) {
    for (int v = 0; v < 256; ++v) {
      std::uint32_t packed = 0;
      for (int j = 0; j < 8; ++j) {
        const int bit = k * 8 + j;
        if (!(v & (1 << j)) || bit >= n) continue;
        const Outcome& o = tables.row(bit).then;
        packed |= (o.scheme ? static_cast<std::uint32_t>(*o.scheme) : 0u) |
                  (static_cast<std::uint32_t>(o.actions) << 8) |
                  (static_cast<std::uint32_t>(o.groups) << 16);
      }
      outcome_by_byte_[k][v] = packed;
    }
  }

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
  std::vector<int> st_rep, em_rep, hk_rep, fl_rep;
  classes(status_mask_.data(), kInsuranceStatusCount, status_class_.data(), st_rep);
  classes(employment_mask_.data(), kEmploymentCount, employment_class_.data(), em_rep);
  classes(hukou_mask_.data(), 2, hukou_class_.data(), hk_rep);
  classes(flags_mask_.data(), 64, flags_class_.data(), fl_rep);
  std::unordered_map<std::uint64_t, std::uint32_t> fact_ids, date_ids;
  auto class_of = [](std::unordered_map<std::uint64_t, std::uint32_t>& ids,
                     std::vector<std::uint64_t>& distinct, std::uint64_t m) {
    const auto it = ids.emplace(m, static_cast<std::uint32_t>(distinct.size()));
    if (it.second) distinct.push_back(m);
    return it.first->second;
  };
  std::vector<std::uint64_t> fact_masks, date_masks;
  const std::size_t combos = st_rep.size() * em_rep.size() * hk_rep.size() * fl_rep.size();
  std::vector<std::uint32_t> combo_class(combos);
  for (std::size_t sc = 0; sc < st_rep.size(); ++sc)
    for (std::size_t ec = 0; ec < em_rep.size(); ++ec)
      for (std::size_t hc = 0; hc < hk_rep.size(); ++hc)
        for (std::size_t fc = 0; fc < fl_rep.size(); ++fc) {
          // hukou_mask_ rows do not depend on sex: index 0/1 is male with hukou 0/1.
          const std::uint64_t m = status_mask_[st_rep[sc]] & employment_mask_[em_rep[ec]] &
                                  hukou_mask_[hk_rep[hc]] & flags_mask_[fl_rep[fc]];
          combo_class[((sc * em_rep.size() + ec) * hk_rep.size() + hc) * fl_rep.size() + fc] =
              class_of(fact_ids, fact_masks, m);
        }

  // The answer table, when small enough: fact classes x date keys, a date
  // key being (sex * birth segments + birth segment) * grade segments + grade segment.
  const std::size_t nbs = birth_cut_.size() + 1, ngs = grade_cut_.size() + 1;
  const std::size_t date_keys = 2 * nbs * ngs;
  const std::size_t table_size = fact_masks.size() * date_keys;
  const std::string sizes = std::to_string(fact_masks.size()) + " fact classes x " +
                            std::to_string(date_keys) + " date keys (" +
                            std::to_string(birth_cut_.size() + 1) + " birth-day and " +
                            std::to_string(ngs) + " grade segments)";
  if (table_size > kMaxAnswerTable) {
    best_ = BatchKernelKind::per_person;
    reason_ = "an answer table would need " + sizes + " = " + std::to_string(table_size) +
              " entries, over " + std::to_string(kMaxAnswerTable);
    return;
  }
  std::vector<std::uint32_t> date_class(date_keys);
  for (std::size_t sx = 0; sx < 2; ++sx) {
    for (std::size_t bs = 0; bs < nbs; ++bs) {
      for (std::size_t gs = 0; gs < ngs; ++gs) {
        date_class[(sx * nbs + bs) * ngs + gs] =
            class_of(date_ids, date_masks, birth_mask_[sx][bs] & grade_mask_[gs]);
      }
    }
  }
  const std::size_t date_classes = date_masks.size();
  std::vector<std::uint32_t> answer(fact_masks.size() * date_classes);
  std::vector<std::uint64_t> answer_fired(answer.size());
  for (std::size_t f = 0; f < fact_masks.size(); ++f) {
    for (std::size_t d = 0; d < date_classes; ++d) {
      answer[f * date_classes + d] =
          resolve(fact_masks[f] & date_masks[d], &answer_fired[f * date_classes + d]);
    }
  }
  answer_by_date_key_.resize(table_size);
  fired_by_date_key_.resize(table_size);
  for (std::size_t f = 0; f < fact_masks.size(); ++f) {
    for (std::size_t k = 0; k < date_keys; ++k) {
      answer_by_date_key_[f * date_keys + k] = answer[f * date_classes + date_class[k]];
      fired_by_date_key_[f * date_keys + k] = answer_fired[f * date_classes + date_class[k]];
    }
  }
  fact_offset_.resize(std::size_t{kInsuranceStatusCount} * kEmploymentCount * 2 * 64);
  for (int st = 0; st < kInsuranceStatusCount; ++st)
    for (int em = 0; em < kEmploymentCount; ++em)
      for (int hk = 0; hk < 2; ++hk)
        for (int fl = 0; fl < 64; ++fl) {
          const std::size_t combo =
              ((status_class_[st] * em_rep.size() + employment_class_[em]) * hk_rep.size() +
               hukou_class_[hk]) *
                  fl_rep.size() +
              flags_class_[fl];
          fact_offset_[((st * kEmploymentCount + em) * 2 + hk) * 64 + fl] =
              static_cast<std::uint32_t>(combo_class[combo] * date_keys);
        }
  best_ = BatchKernelKind::portable_table;
  reason_ = "answer table of " + sizes + " = " + std::to_string(table_size) + " entries";

  // The AVX2 direct table (see batch.hpp). Its birth days are 16-bit offsets
  // from the first valid day, saturating: exact while every middle cut-off
  // is less than 65535 days after it.
  const std::size_t direct_size = combos * date_keys;
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
  class_stride_[2] = static_cast<std::uint16_t>(class_stride_[3] * fl_rep.size());
  class_stride_[1] = static_cast<std::uint16_t>(class_stride_[2] * hk_rep.size());
  class_stride_[0] = static_cast<std::uint16_t>(class_stride_[1] * em_rep.size());
  direct_answer_.resize(direct_size);
  direct_fired_.resize(direct_size);
  for (std::size_t sc = 0; sc < st_rep.size(); ++sc)
    for (std::size_t ec = 0; ec < em_rep.size(); ++ec)
      for (std::size_t hc = 0; hc < hk_rep.size(); ++hc)
        for (std::size_t fc = 0; fc < fl_rep.size(); ++fc) {
          const std::size_t fkey =
              ((st_rep[sc] * std::size_t{kEmploymentCount} + em_rep[ec]) * 2 + hk_rep[hc]) * 64 +
              fl_rep[fc];
          const std::size_t to = sc * class_stride_[0] + ec * class_stride_[1] +
                                 hc * class_stride_[2] + fc * class_stride_[3];
          for (std::size_t k = 0; k < date_keys; ++k) {
            direct_answer_[to + k] = answer_by_date_key_[fact_offset_[fkey] + k];
            direct_fired_[to + k] = fired_by_date_key_[fact_offset_[fkey] + k];
          }
        }
}

std::uint32_t PreparedRecommendation::resolve(std::uint64_t m, std::uint64_t* fired_out) const {
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

BatchKernelKind PreparedRecommendation::kernel() const {
  const BatchKernel forced = g_kernel.load(std::memory_order_relaxed);
  if (forced != BatchKernel::portable && forced != BatchKernel::per_person &&
      !direct_answer_.empty() && detail::batch_avx2_available()) {
    return BatchKernelKind::avx2_table;
  }
  if (forced != BatchKernel::per_person && !answer_by_date_key_.empty())
    return BatchKernelKind::portable_table;
  return BatchKernelKind::per_person;
}

std::string PreparedRecommendation::kernel_reason() const {
  const BatchKernelKind used = kernel();
  std::string out = std::string(batch_kernel_name(used)) + ": " + reason_;
  if (used != best_) {
    out += best_ == BatchKernelKind::avx2_table && !detail::batch_avx2_available()
               ? " (this CPU or build has no AVX2)"
               : " (a slower kernel forced by detail::set_batch_kernel)";
  }
  return out;
}

void PreparedRecommendation::run(const PersonColumns& in, const RecommendationColumns& out) const {
  if (in.count == 0) return;
  auto need = [](const void* p, const char* name) {
    if (!p) throw ArgumentError(name, "column is null");
  };
  need(in.sex, "sex");
  need(in.birth_day, "birth_day");
  need(in.hukou_local, "hukou_local");
  need(in.insurance_status, "insurance_status");
  need(in.employment, "employment");
  need(in.resident_grade_yuan, "resident_grade_yuan");
  need(in.flags, "flags");
  need(out.scheme, "scheme");
  need(out.actions, "actions");
  need(out.groups, "groups");

  switch (kernel()) {
    case BatchKernelKind::avx2_table: {
      const std::size_t done = run_avx2(in, out);
      if (done < in.count) run_portable(in, out, done);
      break;
    }
    case BatchKernelKind::portable_table:
      run_portable(in, out, 0);
      break;
    case BatchKernelKind::per_person:
      run_per_person(in, out, 0);
      break;
  }
}

void PreparedRecommendation::run_portable(const PersonColumns& in, const RecommendationColumns& out,
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
void PreparedRecommendation::run_portable_as(const PersonColumns& in,
                                             const RecommendationColumns& out,
                                             std::size_t start) const {
  const std::uint64_t* const fired_by_key = fired_by_date_key_.data();
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
    if (out.fired_rows) {
      std::uint64_t* const fired = out.fired_rows + base;
      for (std::size_t i = 0; i < len; ++i) fired[i] = fired_by_key[fact_offset[fkey[i]] + dkey[i]];
    }
  }
}

// No answer table: per person, the AND of the field masks gives the rows
// whose conditions hold, and resolve() applies the hit policies. Slower
// (a loop over the tables a person), never wrong.
void PreparedRecommendation::run_per_person(const PersonColumns& in,
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
    }
  }
}
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
__attribute__((target("avx2"))) std::size_t PreparedRecommendation::run_avx2(
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
std::size_t PreparedRecommendation::run_avx2(const PersonColumns&,
                                             const RecommendationColumns&) const {
  return 0;
}
#endif

// The first bad row of `in`, as "columns.<column>[<row>]" (the form the
// Python facade and canbao_recommend_columns show; canbao_recommend_batch
// renames it persons[<row>].<column>). Only integers are printed for a day
// number outside years 1..9999: converting it to a date would overflow.
void PreparedRecommendation::report_bad_row(const PersonColumns& in) const {
  for (std::size_t i = 0; i < in.count; ++i) {
    auto at = [i](const char* column) {
      return "columns." + std::string(column) + "[" + std::to_string(i) + "]";
    };
    if (in.sex[i] > 1)
      throw InputError(at("sex"),
                       "expected 0 (male) or 1 (female), got " + std::to_string(in.sex[i]));
    if (in.hukou_local[i] > 1)
      throw InputError(at("hukou_local"),
                       "expected 0 or 1, got " + std::to_string(in.hukou_local[i]));
    if (in.insurance_status[i] >= kInsuranceStatusCount) {
      throw InputError(at("insurance_status"),
                       "expected 0.." + std::to_string(kInsuranceStatusCount - 1) + ", got " +
                           std::to_string(in.insurance_status[i]));
    }
    if (in.employment[i] >= kEmploymentCount) {
      throw InputError(at("employment"), "expected 0.." + std::to_string(kEmploymentCount - 1) +
                                             ", got " + std::to_string(in.employment[i]));
    }
    if (in.flags[i] & ~kAllPersonFlags) {
      throw InputError(at("flags"), "unknown flag bits in " + std::to_string(in.flags[i]) +
                                        " (known flags: bits 0..5, values 0.." +
                                        std::to_string(kAllPersonFlags) + ")");
    }
    const std::int32_t b = in.birth_day[i];
    if (b < first_birth_day_ || b > last_birth_day_) {
      const std::string range = "1900-01-01.." + Date::from_day_number(last_birth_day_).iso();
      const bool is_date = b >= Date::from_ymd(1, 1, 1)->day_number() &&
                           b <= Date::from_ymd(9999, 12, 31)->day_number();
      std::string what = std::to_string(b);
      if (is_date) what += " (" + Date::from_day_number(b).iso() + ")";
      throw InputError(at("birth_day"),
                       what + " is not a supported birth day (" + range +
                           ": from 1900 to the as-of date " + as_of_.iso() +
                           ", at most 2200-12-31; day numbers count from 1970-01-01)");
    }
  }
  throw Error(ErrorKind::internal, "batch",
              "a row was flagged invalid but no field is out of range");
}

std::shared_ptr<const PreparedRecommendation> RecommendationTables::prepared(Date as_of) const {
  // The same range as the one-person path (derive): say so before any date arithmetic.
  if (!is_supported_date(as_of)) throw ArgumentError("as_of", unsupported_date_message(as_of));
  // Four dates: enough for an analyst comparing a few as-of dates in turn.
  constexpr std::size_t kKept = 4;
  auto find = [&]() -> std::shared_ptr<const PreparedRecommendation> {
    for (const auto& p : prepared_)
      if (p->as_of() == as_of) return p;
    return nullptr;
  };
  {
    const std::lock_guard<std::mutex> lock(prepared_mutex_);
    if (auto hit = find()) return hit;
  }
  // Prepared outside the lock: other dates stay available meanwhile.
  auto made = std::make_shared<const PreparedRecommendation>(*this, as_of);
  const std::lock_guard<std::mutex> lock(prepared_mutex_);
  if (auto hit = find()) return hit;  // another thread prepared it first
  if (prepared_.size() == kKept) prepared_.erase(prepared_.begin());
  prepared_.push_back(made);
  return made;
}

void recommend_batch(const Policy& policy, Date as_of, const PersonColumns& in,
                     const RecommendationColumns& out) {
  if (!policy.recommendation)
    throw ArgumentError("policy", "the policy has no recommendation section");
  policy.recommendation->prepared(as_of)->run(in, out);
}

}  // namespace canbao
