// Rows that can never fire, checked over the decision-table model when a
// policy loads: a row that contradicts its table's guard, a row covered by an
// earlier one under first hit (a quick sound test), and the exact check over
// the facts taken as independent dimensions. What a condition part means
// comes from detail/condition.hpp, as for the evaluators.
#include "detail/recommendation_reachability.hpp"

#include <algorithm>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "detail/condition.hpp"
#include "detail/json_reader.hpp"

namespace canbao::detail {

namespace {

constexpr std::int32_t kMinInt = std::numeric_limits<std::int32_t>::min();
constexpr std::int32_t kMaxInt = std::numeric_limits<std::int32_t>::max();

// --- coverage: does `a` match everyone `b` matches? (sound, not complete) ---

bool set_covers(std::uint16_t a, std::uint16_t b) {
  if (a == 0) return true;
  if (b == 0) return false;
  return (b & ~a) == 0;
}
bool range_covers(const std::optional<IntRange>& a, const std::optional<IntRange>& b) {
  if (!a) return true;
  if (!b) return false;
  return a->min <= b->min && b->max <= a->max;
}
template <typename T>
bool equal_or_absent(const std::optional<T>& a, const std::optional<T>& b) {
  return !a || (b && *a == *b);
}
// Every value test `b` allows, `a` allows too.
bool fact_test_covers(const FactTest& a, const FactTest& b) {
  switch (a.type) {
    case FactType::boolean:
    case FactType::enumeration: return a.values == 0 || (b.values != 0 && (b.values & ~a.values) == 0);
    case FactType::flags:
      return (a.any == 0 || (b.any != 0 && (b.any & ~a.any) == 0)) && (a.none & ~b.none) == 0;
    case FactType::integer:
    case FactType::date: return a.range.min <= b.range.min && b.range.max <= a.range.max;
  }
  return false;
}
bool facts_cover(const PersonCondition& a, const PersonCondition& b) {
  for (const FactTest& ta : a.facts) {
    const auto tb = std::find_if(b.facts.begin(), b.facts.end(),
                                 [&](const FactTest& t) { return t.fact == ta.fact; });
    if (tb == b.facts.end() || !fact_test_covers(ta, *tb)) return false;
  }
  return true;
}
bool covers(const PersonCondition& a, const PersonCondition& b) {
  if (!facts_cover(a, b)) return false;
  const bool flags_any_ok =
      a.flags_any == 0 || (b.flags_any != 0 && (b.flags_any & ~a.flags_any) == 0);
  const bool flags_none_ok = (a.flags_none & ~b.flags_none) == 0;
  return equal_or_absent(a.sex, b.sex) && equal_or_absent(a.hukou_local, b.hukou_local) &&
         set_covers(a.insurance_status, b.insurance_status) &&
         set_covers(a.employment, b.employment) && flags_any_ok && flags_none_ok &&
         range_covers(a.age, b.age) && range_covers(a.resident_grade_yuan, b.resident_grade_yuan) &&
         range_covers(a.years_to_retirement, b.years_to_retirement) &&
         equal_or_absent(a.contributable_years_ge_minimum, b.contributable_years_ge_minimum) &&
         range_covers(a.contribution_years_still_needed, b.contribution_years_still_needed) &&
         equal_or_absent(a.reaches_minimum_by_retirement, b.reaches_minimum_by_retirement);
}

// --- reachability: exact over the facts taken as independent dimensions ---
//
// Every condition splits each fact into a few classes (values every condition
// treats alike): sex, hukou, status, employment, flags, and intervals of age,
// grade and years to retirement between the conditions' bounds. Enumerating
// the combinations of classes gives, for each, the rows that match it; under
// first hit the lowest fires. A row that fires for no combination is
// unreachable even when no single earlier row covers it. Derived facts are
// taken as independent (age and years to retirement really move together), so
// this never rejects a reachable row, but may miss an unreachable one.

// Distinct row masks of one dimension, one per class of values.
std::vector<std::uint64_t> dimension_classes(int count,
                                             const std::function<std::uint64_t(int)>& mask_of) {
  std::vector<std::uint64_t> classes;
  for (int v = 0; v < count; ++v) {
    const std::uint64_t m = mask_of(v);
    if (std::find(classes.begin(), classes.end(), m) == classes.end()) classes.push_back(m);
  }
  return classes;
}

// Interval starts for range conditions: one representative per interval.
std::vector<std::int32_t> range_points(const std::vector<const PersonCondition*>& conds,
                                       std::optional<IntRange> PersonCondition::*field,
                                       std::int32_t lowest) {
  std::vector<std::int32_t> points = {lowest};
  for (const PersonCondition* c : conds) {
    const auto& r = c->*field;
    if (!r) continue;
    if (r->min > lowest) points.push_back(r->min);
    if (r->max != kMaxInt && r->max + 1 > lowest) points.push_back(r->max + 1);
  }
  std::sort(points.begin(), points.end());
  points.erase(std::unique(points.begin(), points.end()), points.end());
  return points;
}

// For each row of `t` (bit i = rows[i], bit rows.size() = otherwise), the OR
// of the rows that fire where it matches; 0 when it matches no combination.
// Nullopt when there are too many combinations to enumerate.
std::optional<std::vector<std::uint64_t>> first_hits(const DecisionTable& t,
                                                     const FactDeclarations& decl) {
  std::vector<const PersonCondition*> conds;
  for (const DecisionRow& r : t.rows) conds.push_back(&r.when);
  if (t.otherwise) conds.push_back(&t.otherwise->when);
  const std::size_t n = conds.size();
  if (n > 63) return std::nullopt;  // one 64-bit mask per class: bigger tables skip this check
  auto mask = [&](const std::function<bool(const PersonCondition&)>& holds) {
    std::uint64_t m = 0;
    if (!holds(t.when)) return m;
    for (std::size_t i = 0; i < n; ++i)
      if (holds(*conds[i])) m |= std::uint64_t{1} << i;
    return m;
  };
  std::vector<std::vector<std::uint64_t>> dims;
  dims.push_back(dimension_classes(2, [&](int v) {
    const Sex sex = v ? Sex::female : Sex::male;
    return mask([&](const PersonCondition& c) { return sex_part(c, sex); });
  }));
  dims.push_back(dimension_classes(2, [&](int v) {
    return mask([&](const PersonCondition& c) { return hukou_part(c, v != 0); });
  }));
  dims.push_back(dimension_classes(decl.builtin.count(BuiltinList::insurance_status), [&](int v) {
    return mask([&](const PersonCondition& c) { return status_part(c, v); });
  }));
  dims.push_back(dimension_classes(decl.builtin.count(BuiltinList::employment), [&](int v) {
    return mask([&](const PersonCondition& c) { return employment_part(c, v); });
  }));
  dims.push_back(dimension_classes(1 << decl.builtin.count(BuiltinList::flags), [&](int v) {
    return mask([&](const PersonCondition& c) { return flags_part(c, static_cast<unsigned>(v)); });
  }));
  dims.push_back(dimension_classes(2, [&](int v) {
    return mask([&](const PersonCondition& c) { return contributable_part(c, v != 0); });
  }));
  dims.push_back(dimension_classes(2, [&](int v) {
    return mask([&](const PersonCondition& c) { return reaches_part(c, v != 0); });
  }));
  // Range facts: one class per interval between the conditions' bounds.
  auto range_dim = [&](std::optional<IntRange> PersonCondition::*field, std::int32_t lowest,
                       bool (*part)(const PersonCondition&, std::int64_t)) {
    std::vector<const PersonCondition*> all = conds;
    all.push_back(&t.when);  // the guard's bounds split intervals too
    const std::vector<std::int32_t> points = range_points(all, field, lowest);
    return dimension_classes(static_cast<int>(points.size()), [&](int k) {
      return mask([&](const PersonCondition& c) { return part(c, points[k]); });
    });
  };
  dims.push_back(range_dim(&PersonCondition::age, 0, age_part));
  dims.push_back(range_dim(&PersonCondition::resident_grade_yuan, 0, grade_part));
  dims.push_back(range_dim(&PersonCondition::years_to_retirement, kMinInt, years_to_retirement_part));
  dims.push_back(range_dim(&PersonCondition::contribution_years_still_needed, 0, still_needed_part));
  // Declared facts: every value of a small one, intervals between the tests'
  // bounds of an integer or date. A flag set of over 12 flags has too many
  // values to enumerate: the check is skipped (never a false error).
  for (std::size_t f = 0; f < decl.size(); ++f) {
    const FactDeclaration& d = decl.facts[f];
    const int fact = static_cast<int>(f);
    std::vector<std::int32_t> values;
    if (d.type == FactType::integer || d.type == FactType::date) {
      values = {d.min};
      auto add = [&](const PersonCondition& c) {
        for (const FactTest& test : c.facts) {
          if (test.fact != fact) continue;
          if (test.range.min > d.min) values.push_back(test.range.min);
          if (test.range.max < d.max) values.push_back(test.range.max + 1);
        }
      };
      add(t.when);
      for (const PersonCondition* c : conds) add(*c);
      std::sort(values.begin(), values.end());
      values.erase(std::unique(values.begin(), values.end()), values.end());
    } else {
      const std::size_t k = d.type == FactType::boolean ? 2 : d.values.size();
      if (d.type == FactType::flags && k > 12) return std::nullopt;
      const std::size_t count = d.type == FactType::flags ? std::size_t{1} << k : k;
      for (std::size_t v = 0; v < count; ++v) values.push_back(static_cast<std::int32_t>(v));
    }
    dims.push_back(dimension_classes(static_cast<int>(values.size()), [&](int k) {
      return mask([&](const PersonCondition& c) { return fact_part(c, fact, values[k]); });
    }));
  }

  // Depth-first over the dimensions, pruning where no row is left, and
  // where the same rows were already reached at the same depth: results are
  // ORed, so a repeat adds nothing (this keeps big tables to milliseconds).
  std::vector<std::uint64_t> fired_where(n, 0);
  const std::uint64_t rows_mask = (std::uint64_t{1} << t.rows.size()) - 1;
  const std::uint64_t otherwise_bit = t.otherwise ? std::uint64_t{1} << t.rows.size() : 0;
  std::size_t visited = 0;
  bool too_many = false;
  std::vector<std::unordered_set<std::uint64_t>> seen(dims.size() + 1);
  std::function<void(std::size_t, std::uint64_t)> walk = [&](std::size_t d, std::uint64_t m) {
    if (m == 0 || too_many || !seen[d].insert(m).second) return;
    if (++visited > 2'000'000) {
      too_many = true;
      return;
    }
    if (d < dims.size()) {
      for (const std::uint64_t c : dims[d]) walk(d + 1, m & c);
      return;
    }
    const std::uint64_t hits = m & rows_mask;
    const std::uint64_t fired = hits == 0                     ? m & otherwise_bit
                                : t.hit == HitPolicy::collect ? hits
                                                              : hits & (~hits + 1);
    for (std::uint64_t b = m; b != 0; b &= b - 1) fired_where[__builtin_ctzll(b)] |= fired;
  };
  walk(0, (std::uint64_t{1} << n) - 1);
  if (too_many) return std::nullopt;
  return fired_where;
}

// A row that contradicts its table's guard matches nobody.
void check_against_guard(const PersonCondition& guard, const PersonCondition& row,
                         const std::string& path, const FactDeclarations& decl) {
  auto fail = [&](const std::string& what) {
    fail_at(path + ".when", "matches nobody: " + what + " contradicts the table's when");
  };
  if (guard.sex && row.sex && *guard.sex != *row.sex) fail("sex");
  if (guard.hukou_local && row.hukou_local && *guard.hukou_local != *row.hukou_local)
    fail("hukou_local");
  if (guard.insurance_status && row.insurance_status &&
      !(guard.insurance_status & row.insurance_status)) {
    fail("insurance_status");
  }
  if (guard.employment && row.employment && !(guard.employment & row.employment))
    fail("employment");
  auto disjoint = [](const std::optional<IntRange>& a, const std::optional<IntRange>& b) {
    return a && b && (a->max < b->min || b->max < a->min);
  };
  if (disjoint(guard.age, row.age)) fail("age");
  if (disjoint(guard.resident_grade_yuan, row.resident_grade_yuan)) fail("resident_grade_yuan");
  if (disjoint(guard.years_to_retirement, row.years_to_retirement)) fail("years_to_retirement");
  if (guard.contributable_years_ge_minimum && row.contributable_years_ge_minimum &&
      *guard.contributable_years_ge_minimum != *row.contributable_years_ge_minimum) {
    fail("contributable_years_ge_minimum");
  }
  if (disjoint(guard.contribution_years_still_needed, row.contribution_years_still_needed))
    fail("contribution_years_still_needed");
  if (guard.reaches_minimum_by_retirement && row.reaches_minimum_by_retirement &&
      *guard.reaches_minimum_by_retirement != *row.reaches_minimum_by_retirement) {
    fail("reaches_minimum_by_retirement");
  }
  if (row.flags_any && (row.flags_any & ~guard.flags_none) == 0) fail("flags_any");
  if (guard.flags_any && (guard.flags_any & ~row.flags_none) == 0) fail("flags_none");
  for (const FactTest& g : guard.facts) {
    for (const FactTest& r : row.facts) {
      if (g.fact != r.fact) continue;
      const bool disjoint_facts =
          ((g.type == FactType::boolean || g.type == FactType::enumeration) && g.values &&
           r.values && !(g.values & r.values)) ||
          (g.type == FactType::flags &&
           ((r.any && (r.any & ~g.none) == 0) || (g.any && (g.any & ~r.none) == 0))) ||
          ((g.type == FactType::integer || g.type == FactType::date) &&
           (g.range.max < r.range.min || r.range.max < g.range.min));
      if (disjoint_facts) fail(decl.facts[static_cast<std::size_t>(g.fact)].id);
    }
  }
}

}  // namespace

void check_reachability(const DecisionTable& t, const FactDeclarations& decl) {
  for (const DecisionRow& row : t.rows) check_against_guard(t.when, row.when, row.path, decl);
  if (t.otherwise) check_against_guard(t.when, t.otherwise->when, t.otherwise->path, decl);
  if (t.hit == HitPolicy::first) {
    // 004's rules are ordered exceptions first: a row covered by an earlier
    // one would silently never fire.
    for (std::size_t b = 0; b < t.rows.size(); ++b) {
      for (std::size_t a = 0; a < b; ++a) {
        if (covers(t.rows[a].when, t.rows[b].when)) {
          fail_at(t.rows[b].path,
                  "unreachable: " + t.rows[a].path +
                      " matches everyone this row matches, and the table fires only the first hit");
        }
      }
    }
    if (t.otherwise) {
      for (const DecisionRow& row : t.rows) {
        if (covers(row.when, t.otherwise->when)) {
          fail_at(t.otherwise->path, "unreachable: " + row.path + " matches everyone this matches");
        }
      }
    }
  }
  // The exact check (see first_hits): rows that fire nowhere.
  if (const auto fired = first_hits(t, decl)) {
    auto row_at = [&](std::size_t i) -> const DecisionRow& {
      return i < t.rows.size() ? t.rows[i] : *t.otherwise;
    };
    for (std::size_t i = 0; i < fired->size(); ++i) {
      const std::uint64_t where = (*fired)[i];
      if (where == 0) {
        fail_at(row_at(i).path,
                "matches nobody: its conditions and the table's when exclude each other");
      }
      if ((where >> i) & 1u) continue;
      std::string others;
      for (std::size_t k = 0; k < fired->size(); ++k) {
        if ((where >> k) & 1u) others += (others.empty() ? "" : ", ") + row_at(k).path;
      }
      fail_at(row_at(i).path,
              "unreachable: everyone this matches is already matched by " + others +
                  (t.hit == HitPolicy::first ? " (the table fires only the first hit)"
                                             : " (otherwise fires only when no row does)"));
    }
  }
}

}  // namespace canbao::detail
