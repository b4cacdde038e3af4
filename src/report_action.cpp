// The report's action part (report_action.hpp): gathered from results the
// report already holds (completions, milestones, work fund, projections) and
// the policy's targets and dates. The only arithmetic is exact: shortfall =
// target - current, rate = shortfall / days, money = rate x basis (Fen).
#include "detail/report_action.hpp"

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <tuple>

#include <canbao/error.hpp>

#include "detail/int128.hpp"
#include "detail/permute.hpp"

namespace canbao {

const char* gap_status_name(GapStatus s) {
  switch (s) {
    case GapStatus::met:
      return "met";
    case GapStatus::open:
      return "open";
    case GapStatus::due_today:
      return "due_today";
    case GapStatus::overdue:
      return "overdue";
    case GapStatus::no_value:
      return "no_value";
  }
  return "?";
}

const char* gap_deadline_kind_name(GapDeadlineKind k) {
  switch (k) {
    case GapDeadlineKind::milestone:
      return "milestone";
    case GapDeadlineKind::work_fund_tier:
      return "work_fund_tier";
    case GapDeadlineKind::timeliness:
      return "timeliness";
    case GapDeadlineKind::campaign_end:
      return "campaign_end";
    case GapDeadlineKind::none:
      return "none";
  }
  return "?";
}

const char* unit_standing_name(UnitStanding s) {
  switch (s) {
    case UnitStanding::late:
      return "late";
    case UnitStanding::at_risk:
      return "at_risk";
    case UnitStanding::no_trend:
      return "no_trend";
    case UnitStanding::on_track:
      return "on_track";
    case UnitStanding::complete:
      return "complete";
  }
  return "?";
}

namespace detail {
namespace {

// Names a unit's target (or the unit, metric null) in an overflow error; the
// text is built only when one is thrown, not per unit and target.
struct Where {
  int unit;
  const std::string* metric;
  std::string text() const {
    const std::string u = "units[" + std::to_string(unit) + "]";
    return metric ? u + ".targets." + *metric + " (report action)" : u;
  }
};

// n / d reduced, OverflowError (naming `where`) when it does not fit int64.
Ratio make_ratio(int128 n, int128 d, const Where& where) {
  if (d < 0) n = -n, d = -d;
  int128 a = n < 0 ? -n : n, b = d;
  while (b != 0) std::tie(a, b) = std::make_tuple(b, a % b);
  if (a > 1) n /= a, d /= a;
  const int128 lim = INT64_MAX;
  if (n > lim || n < -lim || d > lim)
    throw OverflowError(where.text(), "the figure does not fit 64 bits");
  return Ratio(static_cast<std::int64_t>(n), static_cast<std::int64_t>(d));
}

Ratio minus(const Ratio& a, const Ratio& b, const Where& where) {
  return make_ratio(int128(a.num) * b.den - int128(b.num) * a.den, int128(a.den) * b.den, where);
}

Ratio divide(const Ratio& a, const Ratio& b, const Where& where) {
  return make_ratio(int128(a.num) * b.den, int128(a.den) * b.num, where);
}

// Which units each milestone, the work fund and the scoring apply to, looked
// up once (a national campaign has 700,000 villages: no per-unit scans).
struct Membership {
  std::vector<std::vector<char>> milestone;  // [milestone][unit]
  std::vector<char> paid, ranked;            // [unit]
  explicit Membership(const Policy& policy) {
    const std::size_t n = policy.units.units.size();
    auto mark = [&](const Scope& scope) {
      std::vector<char> in(n, 0);
      for (int u : scope_units(policy, scope)) in[static_cast<std::size_t>(u)] = 1;
      return in;
    };
    for (const Milestone& m : policy.milestones) milestone.push_back(mark(m.scope));
    paid = policy.work_fund ? mark(policy.work_fund->paid_units) : std::vector<char>(n, 0);
    ranked = policy.scoring ? mark(policy.scoring->ranked_units) : std::vector<char>(n, 0);
  }
};

struct Candidate {
  Date due;
  GapDeadlineKind kind;
  std::string ref;
  int milestone;  // the milestone's index for a milestone; -1: a tier or timeliness date
};

// The deadlines that may need a target of `metric` (report_action.hpp), by
// date, built once per metric: a unit's own are those it is a member of, in
// this same order (filtering keeps a stable sort's order), so the per-unit
// work copies no list and builds no "tier N" text.
std::vector<Candidate> candidates_of(const Policy& policy, int metric) {
  std::vector<Candidate> out;
  for (std::size_t i = 0; i < policy.milestones.size(); ++i) {
    const Milestone& m = policy.milestones[i];
    if (m.condition.use_target && m.condition.metric_index() == metric)
      out.push_back({m.due.date, GapDeadlineKind::milestone, m.id, static_cast<int>(i)});
  }
  bool task = false;
  if (policy.completion) {
    for (const Condition& c : policy.completion->tasks)
      task = task || (c.use_target && c.metric_index() == metric);
  }
  if (task && policy.work_fund) {
    for (std::size_t t = 0; t < policy.work_fund->tiers.size(); ++t)
      out.push_back({policy.work_fund->tiers[t].deadline.date, GapDeadlineKind::work_fund_tier,
                     "tier " + std::to_string(t + 1), -1});
  }
  if (task && policy.scoring) {
    for (std::size_t t = 0; t < policy.scoring->timeliness.size(); ++t)
      out.push_back({policy.scoring->timeliness[t].by.date, GapDeadlineKind::timeliness,
                     "timeliness " + std::to_string(t), -1});
  }
  // Stable: on one day a milestone before a tier before a timeliness date.
  std::stable_sort(out.begin(), out.end(),
                   [](const Candidate& a, const Candidate& b) { return a.due < b.due; });
  return out;
}

// The candidates of every metric, looked up by metric index.
struct Candidates {
  std::vector<std::vector<Candidate>> of;  // [metric]
  explicit Candidates(const Policy& policy) {
    for (std::size_t m = 0; m < policy.metrics.size(); ++m)
      of.push_back(candidates_of(policy, static_cast<int>(m)));
  }
};

bool applies(const Candidate& c, const Membership& in, std::size_t u) {
  switch (c.kind) {
    case GapDeadlineKind::milestone:
      return in.milestone[static_cast<std::size_t>(c.milestone)][u] != 0;
    case GapDeadlineKind::work_fund_tier:
      return in.paid[u] != 0;
    case GapDeadlineKind::timeliness:
      return in.ranked[u] != 0;
    default:
      return false;
  }
}

TargetGap make_gap(const Progress& progress, const Membership& in, const Candidates& all, int unit,
                   const Target& target, Date as_of, const std::optional<Date>& last_deadline) {
  const Where where{unit, &target.metric};
  TargetGap g;
  g.metric = target.metric_index();
  g.metric_id = target.metric;
  g.target = target.value;
  g.current = progress.value(unit, g.metric, as_of);
  if (g.current && *g.current < g.target) g.shortfall = minus(g.target, *g.current, where);
  // The unit's next deadline (due >= as_of); all passed: the last one.
  const auto u = static_cast<std::size_t>(unit);
  const Candidate* next = nullptr;
  for (const Candidate& c : all.of[static_cast<std::size_t>(g.metric)]) {
    if (!applies(c, in, u)) continue;
    next = &c;
    if (c.due >= as_of) break;
  }
  if (next) {
    g.deadline_kind = next->kind;
    g.deadline = next->due;
    g.deadline_ref = next->ref;
  } else if (last_deadline) {
    g.deadline_kind = GapDeadlineKind::campaign_end;
    g.deadline = last_deadline;
  }
  if (g.deadline) g.days_left = (*g.deadline - as_of).count;
  if (!g.current) {
    g.status = GapStatus::no_value;
  } else if (g.shortfall.num == 0) {
    g.status = GapStatus::met;
  } else if (!g.deadline || g.days_left > 0) {
    g.status = GapStatus::open;
    if (g.deadline) g.needed_per_day = divide(g.shortfall, Ratio(g.days_left), where);
  } else {
    g.status = g.days_left == 0 ? GapStatus::due_today : GapStatus::overdue;
  }
  return g;
}

// Remaining tiers (deadline on or after as_of) then the late rule, on the
// payout's basis: the count as of the report day under the basis rule
// (evaluate_work_fund takes it for a unit not complete).
std::vector<FundAtStake> at_stake(const WorkFund& fund, const WorkFundPayout& p, Date as_of) {
  std::vector<FundAtStake> out;
  for (std::size_t t = 0; t < fund.tiers.size(); ++t) {
    if (fund.tiers[t].deadline.date < as_of) continue;
    out.push_back({static_cast<int>(t), fund.tiers[t].deadline.date, fund.tiers[t].per_person,
                   p.basis, p.basis_on, fund.tiers[t].per_person * p.basis});
  }
  const Fen late = fund.late.kind == LateRule::Kind::per_person ? fund.late.per_person : Fen(0);
  out.push_back({-1, std::nullopt, late, p.basis, p.basis_on, late * p.basis});
  return out;
}

std::optional<Date> last_deadline_of(const Policy& policy) {
  std::optional<Date> last;
  auto take = [&](Date d) {
    if (!last || *last < d) last = d;
  };
  if (policy.campaign.end) take(policy.campaign.end->date);
  for (const Phase& p : policy.campaign.phases)
    if (!p.open_end) take(p.end.date);
  if (policy.work_fund)
    for (const WorkFundTier& t : policy.work_fund->tiers) take(t.deadline.date);
  if (policy.scoring)
    for (const TimelinessBonus& t : policy.scoring->timeliness) take(t.by.date);
  if (last) return last;
  for (const Milestone& m : policy.milestones) take(m.due.date);
  return last;
}

// A reason for a unit's standing, written as text only when it is listed:
// "milestone <id> <status>", or `what` (with the tier number when >= 0).
struct Reason {
  const std::string* milestone;  // the milestone's id; nullptr: the work fund
  const char* what;
  int tier;
  std::string text() const {
    if (milestone) return "milestone " + *milestone + " " + what;
    return tier >= 0 ? what + std::to_string(tier) : std::string(what);
  }
};

int rank_of(UnitStanding s) { return static_cast<int>(s); }

// Per-unit cursors into result lists that hold their units in increasing
// unit order (a scope's units, policy order): each(k, u, f) calls f with list
// k's entries for unit u, for u visited in increasing order.
template <class T>
struct Cursors {
  std::vector<const std::vector<T>*> lists;
  std::vector<std::size_t> next;
  void add(const std::vector<T>& list) {
    lists.push_back(&list);
    next.push_back(0);
  }
  template <class F>
  void each(std::size_t k, int unit, F&& f) {
    const std::vector<T>& list = *lists[k];
    std::size_t& i = next[k];
    while (i < list.size() && list[i].unit < unit) ++i;
    for (; i < list.size() && list[i].unit == unit; ++i) f(list[i]);
  }
};

}  // namespace

ActionReport make_action(const Progress& progress, const CampaignReport& r) {
  const Policy& policy = progress.policy();
  const Date as_of = r.as_of;
  ActionReport a;
  ReportSummary& s = a.summary;
  s.last_deadline = last_deadline_of(policy);
  s.provisional = s.last_deadline && as_of < *s.last_deadline;
  for (const Milestone& m : policy.milestones) {
    if (m.due.date >= as_of && (!s.next_milestone || m.due.date < *s.next_milestone))
      s.next_milestone = m.due.date;
  }
  if (s.next_milestone) s.days_to_next_milestone = (*s.next_milestone - as_of).count;
  if (r.next_reporting_deadline)
    s.days_to_next_reporting = (r.next_reporting_deadline->due - as_of).count;
  if (r.work_fund) s.paid = r.work_fund->total;
  if (r.work_fund) s.still_possible = Fen(0);

  // Per-unit lookups, built once. The milestone, projection and work-fund
  // results list their units in policy order, so the unit loop below walks
  // each with a cursor instead of gathering a list of reasons per unit.
  const std::size_t n = policy.units.units.size();
  const Membership in(policy);
  const Candidates candidates(policy);
  std::vector<const WorkFundPayout*> payout_of(n, nullptr);
  if (r.work_fund) {
    for (const WorkFundPayout& p : r.work_fund->payouts)
      payout_of[static_cast<std::size_t>(p.unit)] = &p;
  }
  int first_open = -1;  // the first tier whose deadline is on or after as_of
  if (policy.work_fund) {
    for (std::size_t t = 0; t < policy.work_fund->tiers.size() && first_open < 0; ++t)
      if (policy.work_fund->tiers[t].deadline.date >= as_of) first_open = static_cast<int>(t);
  }
  Cursors<MilestoneUnitResult> passed;
  for (const MilestoneReport& m : r.milestones) passed.add(m.result.units);
  Cursors<MilestoneUnitProjection> projected;
  const WorkFundProjection* fund_ahead = nullptr;
  if (r.projections) {
    for (const MilestoneProjection& m : r.projections->milestones) projected.add(m.units);
    if (r.projections->work_fund) fund_ahead = &*r.projections->work_fund;
  }
  Cursors<WorkFundUnitProjection> fund_cursor;
  if (fund_ahead) fund_cursor.add(fund_ahead->units);

  std::size_t with_targets = 0;
  for (const Unit& unit : policy.units.units) with_targets += unit.targets.empty() ? 0 : 1;
  a.units.reserve(with_targets);
  // A unit's reasons, noted as they are found and written as text only for a
  // unit not complete (a complete unit lists none): reused across units.
  std::vector<Reason> passed_reasons, ahead_reasons;
  for (std::size_t i = 0; i < n; ++i) {
    const Unit& unit = policy.units.units[i];
    if (unit.targets.empty()) continue;  // the cursors skip its entries on the next unit
    const int u = static_cast<int>(i);
    // Late: a deadline concerning the unit passed unmet (milestones in report order).
    passed_reasons.clear();
    for (std::size_t k = 0; k < passed.lists.size(); ++k) {
      passed.each(k, u, [&](const MilestoneUnitResult& mu) {
        if (mu.status == MilestoneStatus::missed || mu.status == MilestoneStatus::lost)
          passed_reasons.push_back(
              {&r.milestones[k].result.milestone_id, milestone_status_name(mu.status), -1});
      });
    }
    // Ahead: milestone projections in order, then the work fund's.
    ahead_reasons.clear();
    bool risk = false, unknown = false;
    for (std::size_t k = 0; k < projected.lists.size(); ++k) {
      const std::string* id = &r.projections->milestones[k].milestone_id;
      projected.each(k, u, [&](const MilestoneUnitProjection& mu) {
        if (mu.outlook == Outlook::at_risk || mu.outlook == Outlook::will_miss) {
          risk = true;
          ahead_reasons.push_back({id, outlook_name(mu.outlook), -1});
        } else if (mu.outlook == Outlook::no_trend) {
          unknown = true;
          ahead_reasons.push_back({id, "no_trend", -1});
        }
      });
    }
    const WorkFundPayout* payout = payout_of[i];
    if (!fund_cursor.lists.empty() && payout && payout->status == WorkFundStatus::not_complete) {
      fund_cursor.each(0, u, [&](const WorkFundUnitProjection& p) {
        if (p.kind == FundProjectionKind::unknown) {
          unknown = true;
          ahead_reasons.push_back({nullptr, "work fund no_trend", -1});
        } else if (p.kind == FundProjectionKind::projected &&
                   (p.status != WorkFundStatus::tier || p.tier != first_open)) {
          risk = true;
          ahead_reasons.push_back(p.status == WorkFundStatus::tier
                                      ? Reason{nullptr, "work fund projected tier ", p.tier + 1}
                                      : Reason{nullptr, "work fund projected late", -1});
        }
      });
    }

    UnitAction ua;
    ua.unit = u;
    ua.unit_id = unit.id;
    ua.gaps.reserve(unit.targets.size());
    std::size_t overdue = 0;
    for (const Target& t : unit.targets) {
      ua.gaps.push_back(make_gap(progress, in, candidates, u, t, as_of, s.last_deadline));
      const TargetGap& g = ua.gaps.back();
      if (g.status == GapStatus::overdue) ++overdue;
      if (g.target.num <= 0) continue;  // a zero target: no fraction to take
      const Ratio done = g.current ? divide(*g.current, g.target, Where{u, nullptr}) : Ratio(0);
      if (!ua.completion || done < *ua.completion) ua.completion = done;
    }
    const bool complete = r.completions[i].completed_on.has_value();
    const bool fund_late = payout && payout->status == WorkFundStatus::late && !complete;
    const bool late = !passed_reasons.empty() || overdue > 0 || fund_late;
    if (complete) {
      ua.standing = UnitStanding::complete;
    } else if (late) {
      ua.standing = UnitStanding::late;
    } else if (risk) {
      ua.standing = UnitStanding::at_risk;
    } else if (unknown) {
      ua.standing = UnitStanding::no_trend;
    } else {
      ua.standing = UnitStanding::on_track;
    }
    if (!complete) {
      // Late: the passed deadlines; else what may be missed ahead.
      const std::size_t count =
          late ? passed_reasons.size() + overdue + (fund_late ? 1 : 0) : ahead_reasons.size();
      ua.reasons.reserve(count);
      if (late) {
        for (const Reason& x : passed_reasons) ua.reasons.push_back(x.text());
        for (const TargetGap& g : ua.gaps) {
          if (g.status == GapStatus::overdue)
            ua.reasons.push_back("target " + g.metric_id + " overdue");
        }
        if (fund_late) ua.reasons.emplace_back("work fund late");
      } else {
        for (const Reason& x : ahead_reasons) ua.reasons.push_back(x.text());
      }
    }
    if (payout && payout->status == WorkFundStatus::not_complete) {
      ua.at_stake = at_stake(*policy.work_fund, *payout, as_of);
      *s.still_possible = *s.still_possible + ua.at_stake.front().amount;
    }
    ++s.units;
    switch (ua.standing) {
      case UnitStanding::late:
        ++s.late;
        break;
      case UnitStanding::at_risk:
        ++s.at_risk;
        break;
      case UnitStanding::no_trend:
        ++s.no_trend;
        break;
      case UnitStanding::on_track:
        ++s.on_track;
        break;
      case UnitStanding::complete:
        ++s.complete;
        break;
    }
    a.units.push_back(std::move(ua));
  }
  // Worst first: standing, then completion ascending (none last), then policy
  // order. Sorted as small keys side by side (a UnitAction is large to swap
  // and to reach through), then put in place.
  struct Key {
    Ratio completion;
    int standing;
    bool has_completion;
    std::uint32_t at;
  };
  std::vector<Key> keys(a.units.size());
  for (std::size_t i = 0; i < a.units.size(); ++i) {
    const UnitAction& x = a.units[i];
    keys[i] = {x.completion.value_or(Ratio(0)), rank_of(x.standing), x.completion.has_value(),
               static_cast<std::uint32_t>(i)};
  }
  std::sort(keys.begin(), keys.end(), [](const Key& x, const Key& y) {
    if (x.standing != y.standing) return x.standing < y.standing;
    if (x.has_completion != y.has_completion) return x.has_completion;
    if (x.has_completion) {
      const int c = compare(x.completion, y.completion);
      if (c != 0) return c < 0;
    }
    return x.at < y.at;  // policy order
  });
  std::vector<std::uint32_t> order(keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) order[i] = keys[i].at;
  keys = {};
  apply_order(a.units, order);
  return a;
}

}  // namespace detail
}  // namespace canbao
