// Scoring and competition ranking (see include/canbao/ranking.hpp).
#include <canbao/ranking.hpp>

#include <algorithm>
#include <climits>
#include <cstdint>

#include <canbao/error.hpp>

#include "detail/int128.hpp"
#include "detail/permute.hpp"

namespace canbao {
namespace {

using detail::int128;

// Names the unit in an overflow error; the text is built only when one is
// thrown (no string per ranked unit: a national campaign ranks 700,000).
struct Where {
  const std::string& unit_id;
  std::string text() const { return "scoring: unit \"" + unit_id + "\""; }
};

int128 mul128(int128 a, int128 b, const Where& what) {
  int128 r;
  if (__builtin_mul_overflow(a, b, &r))
    throw OverflowError(what.text(), "exact score arithmetic overflows 128 bits");
  return r;
}

int128 gcd128(int128 a, int128 b) {
  if (a < 0) a = -a;
  if (b < 0) b = -b;
  while (b != 0) {
    const int128 t = a % b;
    a = b;
    b = t;
  }
  return a;
}

Ratio make_ratio(int128 num, int128 den, const Where& what) {
  const int128 g = gcd128(num, den);
  if (g > 1) {
    num /= g;
    den /= g;
  }
  const int128 lo = INT64_MIN, hi = INT64_MAX;
  if (num < lo || num > hi || den < lo || den > hi)
    throw OverflowError(what.text(), "ratio does not fit int64");
  return Ratio(static_cast<std::int64_t>(num), static_cast<std::int64_t>(den));
}

// points -> micro-points, rounded toward zero (C++ division truncates).
std::int64_t to_micro(const Ratio& points, const Where& what) {
  const int128 q = mul128(points.num, micro_points_per_point, what) / points.den;
  if (q < INT64_MIN || q > INT64_MAX)
    throw OverflowError(what.text(), "score does not fit int64 micro-points");
  return static_cast<std::int64_t>(q);
}

// a x b as an exact Ratio.
Ratio times(const Ratio& a, const Ratio& b, const Where& what) {
  return make_ratio(mul128(a.num, b.num, what), mul128(a.den, b.den, what), what);
}

std::int64_t add_micro(std::int64_t a, std::int64_t b, const Where& what) {
  std::int64_t r;
  if (__builtin_add_overflow(a, b, &r))
    throw OverflowError(what.text(), "total overflows int64 micro-points");
  return r;
}

// <0 when a ranks before b, >0 after, 0 when the policy cannot tell them apart.
int compare_scores(const UnitScore& a, const UnitScore& b, const std::vector<TieBreaker>& ties) {
  if (a.total_micro_points != b.total_micro_points)
    return a.total_micro_points > b.total_micro_points ? -1 : 1;
  for (TieBreaker t : ties) {
    switch (t) {
      case TieBreaker::earlier_completion:
        if (a.completed_on != b.completed_on) {
          if (!a.completed_on) return 1;  // never complete ranks after any completion
          if (!b.completed_on) return -1;
          return *a.completed_on < *b.completed_on ? -1 : 1;
        }
        break;
      case TieBreaker::higher_first_indicator: {
        const std::int64_t x = a.indicators.empty() ? 0 : a.indicators.front().micro_points;
        const std::int64_t y = b.indicators.empty() ? 0 : b.indicators.front().micro_points;
        if (x != y) return x > y ? -1 : 1;
        break;
      }
      case TieBreaker::unit_order:
        if (a.unit != b.unit) return a.unit < b.unit ? -1 : 1;
        break;
    }
  }
  return 0;
}

// The best band a unit that missed a target may get (003 三(三)): the policy's
// choice, else the highest band that is not an award ("commend"). Index into
// Scoring::grades (highest first); the loader guarantees one exists.
std::size_t best_band_without_award(const Scoring& sc) {
  for (std::size_t i = 0; i < sc.grades.size(); ++i) {
    const std::string& g = sc.grades[i].grade;
    if (sc.best_grade_when_targets_missed.empty() ? g != "commend"
                                                  : g == sc.best_grade_when_targets_missed)
      return i;
  }
  return sc.grades.size();
}

}  // namespace

std::string points_string(std::int64_t micro) {
  const bool negative = micro < 0;
  // Work in unsigned so INT64_MIN has a magnitude.
  const std::uint64_t m =
      negative ? 0 - static_cast<std::uint64_t>(micro) : static_cast<std::uint64_t>(micro);
  std::string s = std::to_string(m / 1'000'000);
  std::string frac = std::to_string(m % 1'000'000);
  frac.insert(0, 6 - frac.size(), '0');
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  if (!frac.empty()) s += "." + frac;
  return negative ? "-" + s : s;
}

void rank_units(std::vector<UnitScore>& units, const std::vector<TieBreaker>& ties) {
  // Sorted as small keys side by side (a UnitScore is large to swap and to
  // reach through), then put in place. The keys order as compare_scores does;
  // the order is total (equals by unit, then by position), so it is the same
  // order whichever way it is sorted.
  struct Key {
    std::int64_t total;
    std::int64_t first_indicator;
    std::int32_t completed;  // day number; none: after every date
    int unit;
    std::uint32_t at;
  };
  std::vector<Key> keys(units.size());
  for (std::size_t i = 0; i < units.size(); ++i) {
    const UnitScore& u = units[i];
    keys[i] = {u.total_micro_points, u.indicators.empty() ? 0 : u.indicators.front().micro_points,
               u.completed_on ? u.completed_on->day_number() : INT32_MAX, u.unit,
               static_cast<std::uint32_t>(i)};
  }
  std::sort(keys.begin(), keys.end(), [&](const Key& a, const Key& b) {
    if (a.total != b.total) return a.total > b.total;
    for (TieBreaker t : ties) {
      switch (t) {
        case TieBreaker::earlier_completion:
          if (a.completed != b.completed) return a.completed < b.completed;
          break;
        case TieBreaker::higher_first_indicator:
          if (a.first_indicator != b.first_indicator) return a.first_indicator > b.first_indicator;
          break;
        case TieBreaker::unit_order:
          if (a.unit != b.unit) return a.unit < b.unit;
          break;
      }
    }
    return a.unit != b.unit ? a.unit < b.unit : a.at < b.at;  // equals: policy order
  });
  std::vector<std::uint32_t> order(units.size());
  for (std::size_t i = 0; i < keys.size(); ++i) order[i] = keys[i].at;
  keys = {};
  detail::apply_order(units, order);
  // Competition ranking (1, 2, 2, 4): a rank is 1 + the number of units before it.
  for (std::size_t i = 0; i < units.size(); ++i) {
    units[i].rank = i > 0 && compare_scores(units[i - 1], units[i], ties) == 0
                        ? units[i - 1].rank
                        : static_cast<int>(i) + 1;
  }
}

Ranking score_and_rank(const Progress& progress, Date as_of,
                       const std::vector<UnitCompletion>& completions) {
  const Policy& p = progress.policy();
  if (!p.scoring) throw ArgumentError("policy", "has no scoring section");
  const Scoring& sc = *p.scoring;
  if (completions.size() != p.units.units.size()) {
    throw ArgumentError("completions", "expected one per unit (" +
                                           std::to_string(p.units.units.size()) + "), got " +
                                           std::to_string(completions.size()));
  }
  Ranking out;
  out.as_of = as_of;
  const std::vector<int> ranked = scope_units(p, sc.ranked_units);
  out.units.reserve(ranked.size());
  std::vector<std::optional<Ratio>> values;  // reused: the unit's value of each target
  for (int u : ranked) {
    const Unit& unit = p.units.units[static_cast<std::size_t>(u)];
    UnitScore s;
    s.unit = u;
    s.unit_id = unit.id;
    s.completed_on = completions[static_cast<std::size_t>(u)].completed_on;
    const Where what{unit.id};
    s.indicators.reserve(sc.indicators.size());
    s.deductions.reserve(sc.deductions.size());

    for (std::size_t i = 0; i < sc.indicators.size(); ++i) {
      const Indicator& ind = sc.indicators[i];
      auto at = [i] { return "scoring.indicators[" + std::to_string(i) + "].metric"; };
      const Target* target = unit.target(ind.metric_index());
      if (!target)
        throw PolicyError(
            at(), "ranked unit \"" + unit.id + "\" has no target for \"" + ind.metric + "\"");
      if (target->value.num <= 0) {
        throw PolicyError(at(), "ranked unit \"" + unit.id + "\" has target " +
                                    target->value.decimal_string() + " for \"" + ind.metric +
                                    "\": a completion ratio needs a target > 0");
      }
      IndicatorScore is;
      is.indicator = static_cast<int>(i);
      is.indicator_id = ind.id;
      is.target = target->value;
      is.value = progress.value(u, ind.metric_index(), as_of);
      if (is.value) {
        // value / target = (v.num x t.den) / (v.den x t.num), exact.
        is.completion = make_ratio(mul128(is.value->num, target->value.den, what),
                                   mul128(is.value->den, target->value.num, what), what);
        const Ratio capped = std::min(*is.completion, ind.cap);
        // Rounded toward zero once, at the end of the indicator.
        is.micro_points = to_micro(times(ind.weight, capped, what), what);
      }
      s.total_micro_points = add_micro(s.total_micro_points, is.micro_points, what);
      s.indicators.push_back(std::move(is));
    }

    if (s.completed_on) {
      for (std::size_t i = 0; i < sc.timeliness.size(); ++i) {
        const TimelinessBonus& b = sc.timeliness[i];
        if (*s.completed_on <= b.by.date &&
            (s.timeliness < 0 ||
             b.points > sc.timeliness[static_cast<std::size_t>(s.timeliness)].points)) {
          s.timeliness = static_cast<int>(i);
        }
      }
      if (s.timeliness >= 0) {
        s.bonus_micro_points =
            to_micro(sc.timeliness[static_cast<std::size_t>(s.timeliness)].points, what);
        s.total_micro_points = add_micro(s.total_micro_points, s.bonus_micro_points, what);
      }
    }

    for (std::size_t i = 0; i < sc.deductions.size(); ++i) {
      const Deduction& d = sc.deductions[i];
      DeductionScore ds;
      ds.deduction = static_cast<int>(i);
      ds.deduction_id = d.id;
      ds.count = progress.count(u, d.metric_index(), as_of);
      const Ratio off = std::min(times(d.points_per_count, Ratio(ds.count), what), d.max_points);
      ds.micro_points = to_micro(off, what);
      s.total_micro_points = add_micro(s.total_micro_points, -ds.micro_points, what);
      s.deductions.push_back(std::move(ds));
    }

    // Grades are sorted by min_score, highest first: the first band reached.
    const Ratio total(s.total_micro_points, micro_points_per_point);
    std::size_t band = sc.grades.size();
    for (std::size_t i = 0; i < sc.grades.size(); ++i) {
      if (total >= sc.grades[i].min_score) {
        band = i;
        break;
      }
    }
    if (band < sc.grades.size()) s.grade = s.grade_by_score = sc.grades[band].grade;

    // 003: 未完成目标任务的...不能评先、评优.
    // Counted first so the list is allocated once, at its size (most have none).
    values.clear();
    std::size_t missed = 0;
    for (const Target& t : unit.targets) {
      values.push_back(progress.value(u, t.metric_index(), as_of));
      if (!values.back() || *values.back() < t.value) ++missed;
    }
    s.missed_targets.reserve(missed);
    for (std::size_t k = 0; k < unit.targets.size(); ++k) {
      const Target& t = unit.targets[k];
      const std::optional<Ratio>& v = values[k];
      if (!v || *v < t.value) {
        s.missed_targets.push_back(MissedTarget{t.metric_index(), t.metric, v, t.value});
      }
    }
    s.eligible_for_awards = !(sc.awards_require_targets_met && !s.missed_targets.empty());
    if (!s.eligible_for_awards && band < sc.grades.size()) {
      const std::size_t best = best_band_without_award(sc);
      if (band < best && best < sc.grades.size()) s.grade = sc.grades[best].grade;
    }
    out.units.push_back(std::move(s));
  }
  rank_units(out.units, sc.tie_breakers);
  return out;
}

}  // namespace canbao
