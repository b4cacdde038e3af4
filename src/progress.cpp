// Progress: validation, flat indexing and rollups (see include/canbao/progress.hpp).
//
// Layout: every (metric, unit) pair is a "slot" (metric * units + unit). A slot
// owns a span of the shared days_/values_ arrays: the unit's own observations
// sorted by day, or, for a count the unit did not observe itself, the sum of
// its children's series at the union of their days. Averages keep a second,
// per-metric store of (sum of average x weight, sum of weight, defined) so
// parents can be weighted exactly. All of it is built once, children before
// parents; queries never allocate.
#include <canbao/progress.hpp>

#include <algorithm>
#include <limits>

#include <canbao/error.hpp>

#include "detail/parallel.hpp"

namespace canbao {
namespace {

// Names a (unit, metric) pair in an overflow error. Built only when one is
// thrown: a rollup adds millions of figures at national scale.
struct Place {
  const Unit& unit;
  const Metric& metric;
  std::string text() const { return "unit \"" + unit.id + "\" metric \"" + metric.id + "\""; }
};

std::int64_t checked_add(std::int64_t a, std::int64_t b, const Place& where) {
  std::int64_t r;
  if (__builtin_add_overflow(a, b, &r))
    throw OverflowError(where.text(), "rolled-up sum overflows int64");
  return r;
}

std::int64_t checked_mul(std::int64_t a, std::int64_t b, const Place& where) {
  std::int64_t r;
  if (__builtin_mul_overflow(a, b, &r))
    throw OverflowError(where.text(), "average x weight overflows int64");
  return r;
}

// Below this many (unit, metric) slots one thread indexes them.
constexpr std::size_t kParallelSlots = std::size_t{1} << 16;

// Index of the last point on or before `day`, or -1.
std::ptrdiff_t last_on_or_before(const std::int32_t* days, std::size_t n, std::int32_t day) {
  const std::int32_t* it = std::upper_bound(days, days + n, day);
  return (it - days) - 1;
}

void append_union(std::vector<std::int32_t>& out, const std::int32_t* days, std::size_t n) {
  out.insert(out.end(), days, days + n);
}

void sort_unique(std::vector<std::int32_t>& days) {
  std::sort(days.begin(), days.end());
  days.erase(std::unique(days.begin(), days.end()), days.end());
}

// Metric::parent_figure: a unit with children observed itself where the policy
// says its figure is its children's, or (default "either") where a descendant
// observed the same metric too. Named by a record of each side; linear.
template <class Order>
void check_parent_figures(const Policy& p, const std::vector<std::uint64_t>& start,
                          const Order& order,
                          const std::function<std::string(std::size_t)>& describe) {
  const UnitTree& tree = p.units;
  const std::size_t units = tree.units.size();
  std::vector<int> observing_descendant(units);
  for (std::size_t m = 0; m < p.metrics.size(); ++m) {
    const Metric& metric = p.metrics[m];
    if (metric.kind == MetricKind::rate || metric.parent_figure == ParentFigure::own) continue;
    auto first_record = [&](std::size_t u) -> std::size_t { return order[start[m * units + u]]; };
    auto observed = [&](std::size_t u) { return start[m * units + u + 1] > start[m * units + u]; };
    std::fill(observing_descendant.begin(), observing_descendant.end(), -1);
    // Children before parents: walk the parents-first order backwards.
    for (auto it = tree.order().rbegin(); it != tree.order().rend(); ++it) {
      const std::size_t u = static_cast<std::size_t>(*it);
      const Unit& unit = tree.units[u];
      if (unit.children().empty()) continue;
      for (int ch : unit.children()) {
        const std::size_t c = static_cast<std::size_t>(ch);
        const int found = observed(c) ? ch : observing_descendant[c];
        if (found >= 0) {
          observing_descendant[u] = found;
          break;
        }
      }
      if (!observed(u)) continue;
      if (metric.parent_figure == ParentFigure::children) {
        throw InputError(describe(first_record(u)),
                         "unit \"" + unit.id + "\" has children and its \"" + metric.id +
                             "\" is their sum (metrics: parent_figure \"children\"); report it "
                             "on the children, or set parent_figure to \"own\"");
      }
      const int d = observing_descendant[u];
      if (d >= 0) {
        throw InputError(
            describe(first_record(u)),
            "unit \"" + unit.id + "\" reports \"" + metric.id + "\" itself and so does its " +
                "descendant \"" + tree.units[static_cast<std::size_t>(d)].id + "\" (" +
                describe(first_record(static_cast<std::size_t>(d))) +
                "): say which figure counts with the metric's parent_figure (\"own\" or "
                "\"children\")");
      }
    }
  }
}

// At most how many points roll_up_counts appends to the own rows (`start`:
// the counting sort's slot starts), so the arrays are sized once and never
// moved while they grow (at national scale a move copies hundreds of MB). A
// parent's rolled-up points are at most its children's, and at most one per
// distinct day; its own rows, if any, are appended after them again.
std::size_t rolled_up_bound(const Policy& p, const std::vector<std::uint64_t>& start,
                            std::size_t distinct_days) {
  const UnitTree& tree = p.units;
  const std::size_t units = tree.units.size();
  std::vector<std::size_t> points(units);  // a unit's series length, at most
  std::size_t added = 0;
  for (std::size_t m = 0; m < p.metrics.size(); ++m) {
    if (p.metrics[m].kind != MetricKind::count) continue;
    for (auto it = tree.order().rbegin(); it != tree.order().rend(); ++it) {
      const auto u = static_cast<std::size_t>(*it);
      const std::size_t own = start[m * units + u + 1] - start[m * units + u];
      std::size_t from_children = 0;
      for (int ch : tree.units[u].children()) from_children += points[static_cast<std::size_t>(ch)];
      const std::size_t rolled = std::min(from_children, distinct_days);
      if (!tree.units[u].children().empty()) added += rolled + own;
      points[u] = rolled + own;
    }
  }
  return added;
}

}  // namespace

// Validates and indexes whole-unit rows (no segment column).
Progress Progress::build(PolicyPtr policy, ObservationColumns c,
                         const std::function<std::string(std::size_t)>& describe) {
  const std::size_t n = c.unit.size();
  const Policy& p = *policy;
  const std::size_t units = p.units.units.size();
  const std::size_t metrics = p.metrics.size();
  if (units * metrics >= std::numeric_limits<std::uint32_t>::max()) {
    throw ArgumentError("policy", "too many units x metrics to index");
  }

  Progress g;
  g.policy_ = policy;
  g.unit_count_ = units;
  g.observation_count_ = n;
  const std::size_t slots = units * metrics;

  // Validate each record and count records per slot (counting sort), and
  // mark the distinct days (they bound the rolled-up series below).
  std::vector<std::uint64_t> start(slots + 1, 0);
  const std::int32_t first_day = supported_dates().first.day_number();
  std::vector<std::uint64_t> seen_days(
      static_cast<std::size_t>(supported_dates().last.day_number() - first_day) / 64 + 1, 0);
  for (std::size_t i = 0; i < n; ++i) {
    if (c.unit[i] < 0 || static_cast<std::size_t>(c.unit[i]) >= units) {
      throw InputError(describe(i),
                       "unit index " + std::to_string(c.unit[i]) + " is not in the policy");
    }
    if (c.metric[i] < 0 || static_cast<std::size_t>(c.metric[i]) >= metrics) {
      throw InputError(describe(i),
                       "metric index " + std::to_string(c.metric[i]) + " is not in the policy");
    }
    const Metric& m = p.metrics[static_cast<std::size_t>(c.metric[i])];
    if (m.kind == MetricKind::rate) {
      throw InputError(describe(i), "metric \"" + m.id + "\" is a rate (" + m.numerator + " / " +
                                        m.denominator +
                                        "): report its numerator and denominator, not the rate");
    }
    // Day numbers from bulk callers are raw int32: keep every later date
    // computation inside the range canbao evaluates.
    const Date day = Date::from_day_number(c.day[i]);
    if (!is_supported_date(day)) {
      throw InputError(describe(i) + ".date", "day number " + std::to_string(c.day[i]) + ": " +
                                                  unsupported_date_message(day));
    }
    if (c.value[i] < 0) {
      throw InputError(describe(i), "value of \"" + m.id + "\" for unit \"" +
                                        p.units.units[static_cast<std::size_t>(c.unit[i])].id +
                                        "\" must be >= 0, got " + std::to_string(c.value[i]));
    }
    ++start[static_cast<std::size_t>(c.metric[i]) * units + static_cast<std::size_t>(c.unit[i]) +
            1];
    const auto d = static_cast<std::size_t>(c.day[i] - first_day);
    seen_days[d / 64] |= std::uint64_t{1} << (d % 64);
  }
  std::size_t distinct_days = 0;
  for (std::uint64_t w : seen_days)
    distinct_days += static_cast<std::size_t>(__builtin_popcountll(w));
  for (std::size_t s = 0; s < slots; ++s) start[s + 1] += start[s];

  // Scatter record indices by slot (stable: record order within a slot), then
  // sort each slot by day; a slot holds a dozen observations, insertion sort.
  Buffer<std::uint32_t> order(n);  // every entry written below
  {
    std::vector<std::uint64_t> fill(start.begin(), start.end() - 1);
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t s =
          static_cast<std::size_t>(c.metric[i]) * units + static_cast<std::size_t>(c.unit[i]);
      order[fill[s]++] = static_cast<std::uint32_t>(i);
    }
  }
  // Units and metrics are in the slots now: freed before the arrays below are
  // made (at national scale 200 MB off the peak).
  std::vector<std::int32_t>().swap(c.unit);
  std::vector<std::int32_t>().swap(c.metric);
  // Own observations become the first part of the shared arrays, sized once
  // for the rolled-up points appended after them.
  const std::size_t room = n + rolled_up_bound(p, start, distinct_days);
  g.days_.reserve(room);
  g.values_.reserve(room);
  g.days_.resize(n);
  g.values_.resize(n);
  g.offsets_.resize(slots * 2);  // (begin, end) per slot
  g.own_.resize(slots);
  g.own_from_.resize(slots);
  // Each slot on its own: sorted by day, checked for a repeated day, copied
  // into place. Slots are cut into ranges over the cores (issue 15: 25 M
  // rows); a range stops at its first repeated day, and the lowest range's
  // is the one a single pass meets first, named here on this thread.
  const std::size_t parts = slots >= kParallelSlots ? detail::thread_count(0) : 1;
  constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  // Per range: the slot with a repeated day, and where the first of the two is in `order`.
  std::vector<std::pair<std::size_t, std::size_t>> repeated(parts, {kNone, kNone});
  detail::run_parts(parts, [&](std::size_t part) {
    const std::size_t from = detail::part_begin(slots, parts, part);
    const std::size_t to = detail::part_begin(slots, parts, part + 1);
    const auto by_day = [&](std::uint32_t a, std::uint32_t b) { return c.day[a] < c.day[b]; };
    for (std::size_t s = from; s < to; ++s) {
      auto first = order.begin() + static_cast<std::ptrdiff_t>(start[s]);
      auto last = order.begin() + static_cast<std::ptrdiff_t>(start[s + 1]);
      // Stable either way; std::stable_sort allocates a buffer per call, so a
      // dozen rows (the usual slot) take an insertion sort.
      if (last - first > 32) std::stable_sort(first, last, by_day);
      for (auto it = first; it != last && last - first <= 32; ++it) {
        const std::uint32_t r = *it;
        auto j = it;
        for (; j != first && by_day(r, *(j - 1)); --j) *j = *(j - 1);
        *j = r;
      }
      for (auto it = first; it != last && it + 1 != last; ++it) {
        if (c.day[*it] == c.day[*(it + 1)]) {
          repeated[part] = {s, static_cast<std::size_t>(it - order.begin())};
          return;
        }
      }
      for (std::uint64_t k = start[s]; k < start[s + 1]; ++k) {
        g.days_[k] = c.day[order[k]];
        g.values_[k] = c.value[order[k]];
      }
      g.offsets_[2 * s] = start[s];
      g.offsets_[2 * s + 1] = start[s + 1];
      g.own_[s] = start[s + 1] > start[s] ? 1 : 0;
      // Rows are in day order per slot.
      g.own_from_[s] = g.own_[s] ? g.days_[start[s]] : std::numeric_limits<std::int32_t>::max();
    }
  });
  for (const auto& [s, at] : repeated) {
    if (s == kNone) continue;
    const std::uint32_t a = std::min(order[at], order[at + 1]);
    const std::uint32_t b = std::max(order[at], order[at + 1]);
    throw InputError(describe(b), "duplicate observation of \"" + p.metrics[s / units].id +
                                      "\" for unit \"" + p.units.units[s % units].id + "\" on " +
                                      Date::from_day_number(c.day[a]).iso() + " (also at " +
                                      describe(a) + ")");
  }
  check_parent_figures(p, start, order, describe);
  c = ObservationColumns{};  // free the input early: at national scale it is hundreds of MB
  order = Buffer<std::uint32_t>{};

  g.averages_.resize(metrics);
  for (std::size_t m = 0; m < metrics; ++m) {
    if (p.metrics[m].kind == MetricKind::count) g.roll_up_counts(static_cast<int>(m));
  }
  for (std::size_t m = 0; m < metrics; ++m) {
    if (p.metrics[m].kind == MetricKind::average) g.roll_up_average(static_cast<int>(m));
  }
  return g;
}

void Progress::roll_up_counts(int metric) {
  const UnitTree& tree = policy_->units;
  std::vector<std::int32_t> days;
  std::vector<std::int64_t> sums;
  std::vector<std::uint64_t> cursor;
  // Children before parents: walk the parents-first order backwards.
  for (auto it = tree.order().rbegin(); it != tree.order().rend(); ++it) {
    const int u = *it;
    const Unit& unit = tree.units[static_cast<std::size_t>(u)];
    const std::size_t s = slot(u, metric);
    if (unit.children().empty()) continue;
    const Place where{unit, policy_->metrics[static_cast<std::size_t>(metric)]};
    // With its own rows (parent_figure "own"), the children's sum stands only
    // until the first of them: as of an earlier day no own row is known yet.
    const std::int32_t own_from = own_from_[s];
    days.clear();
    for (int ch : unit.children()) {
      const std::size_t cs = slot(ch, metric);
      append_union(days, days_.data() + offsets_[2 * cs], offsets_[2 * cs + 1] - offsets_[2 * cs]);
    }
    sort_unique(days);
    sums.assign(days.size(), 0);
    for (int ch : unit.children()) {
      const std::size_t cs = slot(ch, metric);
      std::uint64_t k = offsets_[2 * cs];
      const std::uint64_t end = offsets_[2 * cs + 1];
      std::int64_t current = 0;  // a count with no observation yet is 0
      for (std::size_t d = 0; d < days.size(); ++d) {
        while (k < end && days_[k] <= days[d]) current = values_[k++];
        if (current != 0) {
          sums[d] = checked_add(sums[d], current, where);
        }
      }
    }
    std::size_t before = 0;  // rolled-up points before the first own row
    while (before < days.size() && days[before] < own_from) ++before;
    if (own_[s] && before == 0) continue;  // the own rows stand alone
    const std::uint64_t own_begin = offsets_[2 * s], own_end = offsets_[2 * s + 1];
    offsets_[2 * s] = days_.size();
    days_.insert(days_.end(), days.begin(), days.begin() + static_cast<std::ptrdiff_t>(before));
    values_.insert(values_.end(), sums.begin(), sums.begin() + static_cast<std::ptrdiff_t>(before));
    for (std::uint64_t k = own_begin; k < own_end; ++k) {  // then the own rows, from the first
      const std::int32_t day = days_[k];                   // copied: push_back may move the storage
      const std::int64_t value = values_[k];
      days_.push_back(day);
      values_.push_back(value);
    }
    offsets_[2 * s + 1] = days_.size();
  }
}

void Progress::roll_up_average(int metric) {
  const Policy& p = *policy_;
  const Metric& m = p.metrics[static_cast<std::size_t>(metric)];
  const int weight = m.weight_index();
  if (weight < 0)
    throw PolicyError("metrics", "average metric \"" + m.id + "\" has no resolved weight");
  AverageSeries& a = averages_[static_cast<std::size_t>(metric)];
  const std::size_t units = unit_count_;
  a.offsets.assign(units * 2, 0);
  // Per unit, the state on a day: nothing before the first point.
  struct State {
    std::int64_t sum = 0, weight = 0;
    bool defined = false;
  };
  auto state_at = [&](int u, std::int32_t day) {
    State st;
    const std::uint32_t b = a.offsets[2 * static_cast<std::size_t>(u)];
    const std::uint32_t e = a.offsets[2 * static_cast<std::size_t>(u) + 1];
    const std::ptrdiff_t k = last_on_or_before(a.days.data() + b, e - b, day);
    if (k >= 0) {
      st.sum = a.sum[b + static_cast<std::size_t>(k)];
      st.weight = a.weight[b + static_cast<std::size_t>(k)];
      st.defined = a.defined[b + static_cast<std::size_t>(k)] != 0;
    }
    return st;
  };
  std::vector<std::int32_t> days;
  const UnitTree& tree = p.units;
  for (auto it = tree.order().rbegin(); it != tree.order().rend(); ++it) {
    const int u = *it;
    const Unit& unit = tree.units[static_cast<std::size_t>(u)];
    const Place what{unit, m};
    const std::size_t s = slot(u, metric);
    days.clear();
    const std::size_t ws = slot(u, weight);
    // Own rows from the first of them on; the children's figure before it.
    const std::int32_t own_from = own_from_[s];
    if (own_[s]) {
      append_union(days, days_.data() + offsets_[2 * s], offsets_[2 * s + 1] - offsets_[2 * s]);
      append_union(days, days_.data() + offsets_[2 * ws], offsets_[2 * ws + 1] - offsets_[2 * ws]);
    }
    for (int ch : unit.children()) {
      const std::size_t b = a.offsets[2 * static_cast<std::size_t>(ch)];
      append_union(days, a.days.data() + b, a.offsets[2 * static_cast<std::size_t>(ch) + 1] - b);
      const std::size_t cws = slot(ch, weight);
      append_union(days, days_.data() + offsets_[2 * cws],
                   offsets_[2 * cws + 1] - offsets_[2 * cws]);
    }
    sort_unique(days);
    // Children's days from the first own row on only repeat the own figure.
    a.offsets[2 * static_cast<std::size_t>(u)] = static_cast<std::uint32_t>(a.days.size());
    for (std::int32_t d : days) {
      State st;
      if (own_[s] && d >= own_from) {
        const std::size_t b = offsets_[2 * s];
        const std::ptrdiff_t k = last_on_or_before(days_.data() + b, offsets_[2 * s + 1] - b, d);
        st.weight = count(u, weight, Date::from_day_number(d));
        st.defined = k >= 0;
        if (st.defined)
          st.sum = checked_mul(values_[b + static_cast<std::size_t>(k)], st.weight, what);
      } else {
        st.defined = true;
        for (int ch : unit.children()) {
          const State cst = state_at(ch, d);
          if (cst.defined) {
            st.sum = checked_add(st.sum, cst.sum, what);
            st.weight = checked_add(st.weight, cst.weight, what);
          } else if (count(ch, weight, Date::from_day_number(d)) > 0) {
            // A child with people but no average makes the parent's unknown.
            st.defined = false;
          }
        }
      }
      a.days.push_back(d);
      a.sum.push_back(st.sum);
      a.weight.push_back(st.weight);
      a.defined.push_back(st.defined ? 1 : 0);
    }
    a.offsets[2 * static_cast<std::size_t>(u) + 1] = static_cast<std::uint32_t>(a.days.size());
  }
}

void Progress::check_unit_metric(int unit, int metric) const {
  if (unit < 0 || static_cast<std::size_t>(unit) >= unit_count_) {
    throw ArgumentError("unit", "index " + std::to_string(unit) + " is out of range");
  }
  if (metric < 0 || static_cast<std::size_t>(metric) >= policy_->metrics.size()) {
    throw ArgumentError("metric", "index " + std::to_string(metric) + " is out of range");
  }
}

bool Progress::has_own(int unit, int metric) const {
  check_unit_metric(unit, metric);
  return own_[slot(unit, metric)] != 0;
}

bool Progress::has_own_on(int unit, int metric, Date day) const {
  check_unit_metric(unit, metric);
  return own_from_[slot(unit, metric)] <= day.day_number();
}

SeriesView Progress::count_series(int unit, int metric) const {
  check_unit_metric(unit, metric);
  const std::size_t s = slot(unit, metric);
  const std::uint64_t b = offsets_[2 * s];
  return SeriesView{days_.data() + b, values_.data() + b, offsets_[2 * s + 1] - b};
}

std::int64_t Progress::count(int unit, int metric, Date day) const {
  check_unit_metric(unit, metric);
  if (policy_->metrics[static_cast<std::size_t>(metric)].kind != MetricKind::count) {
    throw ArgumentError("metric", "\"" + policy_->metrics[static_cast<std::size_t>(metric)].id +
                                      "\" is not a count");
  }
  const std::size_t s = slot(unit, metric);
  const std::uint64_t b = offsets_[2 * s];
  const std::ptrdiff_t k =
      last_on_or_before(days_.data() + b, offsets_[2 * s + 1] - b, day.day_number());
  return k < 0 ? 0 : values_[b + static_cast<std::size_t>(k)];
}

std::optional<Ratio> Progress::value(int unit, int metric, Date day) const {
  check_unit_metric(unit, metric);
  const Metric& m = policy_->metrics[static_cast<std::size_t>(metric)];
  switch (m.kind) {
    case MetricKind::count:
      return Ratio(count(unit, metric, day));
    case MetricKind::rate: {
      const std::int64_t den = count(unit, m.denominator_index(), day);
      if (den == 0) return std::nullopt;
      return Ratio(count(unit, m.numerator_index(), day), den);
    }
    case MetricKind::average: {
      const std::size_t s = slot(unit, metric);
      if (own_[s] && day.day_number() >= own_from_[s]) {
        const std::uint64_t b = offsets_[2 * s];
        const std::ptrdiff_t k =
            last_on_or_before(days_.data() + b, offsets_[2 * s + 1] - b, day.day_number());
        if (k < 0) return std::nullopt;
        return Ratio(values_[b + static_cast<std::size_t>(k)]);
      }
      const AverageSeries& a = averages_[static_cast<std::size_t>(metric)];
      const std::uint32_t b = a.offsets[2 * static_cast<std::size_t>(unit)];
      const std::uint32_t e = a.offsets[2 * static_cast<std::size_t>(unit) + 1];
      const std::ptrdiff_t k = last_on_or_before(a.days.data() + b, e - b, day.day_number());
      if (k < 0) return std::nullopt;
      const std::size_t i = b + static_cast<std::size_t>(k);
      if (!a.defined[i] || a.weight[i] == 0) return std::nullopt;
      return Ratio(a.sum[i], a.weight[i]);
    }
  }
  return std::nullopt;
}

void Progress::append_change_days(int unit, int metric, std::vector<std::int32_t>& out) const {
  check_unit_metric(unit, metric);
  const Metric& m = policy_->metrics[static_cast<std::size_t>(metric)];
  auto add_slot = [&](int met) {
    const std::size_t s = slot(unit, met);
    append_union(out, days_.data() + offsets_[2 * s], offsets_[2 * s + 1] - offsets_[2 * s]);
  };
  switch (m.kind) {
    case MetricKind::count:
      add_slot(metric);
      break;
    case MetricKind::rate:
      add_slot(m.numerator_index());
      add_slot(m.denominator_index());
      break;
    case MetricKind::average: {
      const AverageSeries& a = averages_[static_cast<std::size_t>(metric)];
      const std::uint32_t b = a.offsets[2 * static_cast<std::size_t>(unit)];
      append_union(out, a.days.data() + b, a.offsets[2 * static_cast<std::size_t>(unit) + 1] - b);
      break;
    }
  }
}

std::vector<std::int32_t> Progress::change_days(int unit, int metric) const {
  std::vector<std::int32_t> out;
  append_change_days(unit, metric, out);
  sort_unique(out);
  return out;
}

}  // namespace canbao
