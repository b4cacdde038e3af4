// The report's action part (report_action.hpp): gathered from results the
// report already holds (completions, milestones, work fund, projections) and
// the policy's targets and dates. The only arithmetic is exact: shortfall =
// target - current, rate = shortfall / days, money = rate x basis (Fen).
#include "detail/report_action.hpp"

#include <algorithm>
#include <numeric>
#include <tuple>

#include <canbao/error.hpp>

#include "detail/int128.hpp"

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
};

// The deadlines that need target `metric` of `unit` (report_action.hpp), by date.
std::vector<Candidate> candidates(const Policy& policy, const Membership& in, int unit,
                                  int metric) {
  const auto u = static_cast<std::size_t>(unit);
  std::vector<Candidate> out;
  for (std::size_t i = 0; i < policy.milestones.size(); ++i) {
    const Milestone& m = policy.milestones[i];
    if (m.condition.use_target && m.condition.metric_index() == metric && in.milestone[i][u])
      out.push_back({m.due.date, GapDeadlineKind::milestone, m.id});
  }
  bool task = false;
  if (policy.completion) {
    for (const Condition& c : policy.completion->tasks)
      task = task || (c.use_target && c.metric_index() == metric);
  }
  if (task && in.paid[u]) {
    for (std::size_t t = 0; t < policy.work_fund->tiers.size(); ++t)
      out.push_back({policy.work_fund->tiers[t].deadline.date, GapDeadlineKind::work_fund_tier,
                     "tier " + std::to_string(t + 1)});
  }
  if (task && in.ranked[u]) {
    for (std::size_t t = 0; t < policy.scoring->timeliness.size(); ++t)
      out.push_back({policy.scoring->timeliness[t].by.date, GapDeadlineKind::timeliness,
                     "timeliness " + std::to_string(t)});
  }
  // Stable: on one day a milestone before a tier before a timeliness date.
  std::stable_sort(out.begin(), out.end(),
                   [](const Candidate& a, const Candidate& b) { return a.due < b.due; });
  return out;
}

TargetGap make_gap(const Progress& progress, const Membership& in, int unit, const Target& target,
                   Date as_of, const std::optional<Date>& last_deadline) {
  const Policy& policy = progress.policy();
  const Where where{unit, &target.metric};
  TargetGap g;
  g.metric = target.metric_index();
  g.metric_id = target.metric;
  g.target = target.value;
  g.current = progress.value(unit, g.metric, as_of);
  if (g.current && *g.current < g.target) g.shortfall = minus(g.target, *g.current, where);
  const std::vector<Candidate> cs = candidates(policy, in, unit, g.metric);
  auto next =
      std::find_if(cs.begin(), cs.end(), [&](const Candidate& c) { return c.due >= as_of; });
  if (next == cs.end() && !cs.empty()) next = cs.end() - 1;  // all passed: the last one
  if (next != cs.end()) {
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

int rank_of(UnitStanding s) { return static_cast<int>(s); }

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

  // Per-unit lookups, built once.
  const std::size_t n = policy.units.units.size();
  const Membership in(policy);
  std::vector<std::vector<std::string>> passed(n), ahead(n);
  std::vector<char> risk(n, 0), unknown(n, 0);
  for (const MilestoneReport& m : r.milestones) {
    for (const MilestoneUnitResult& mu : m.result.units) {
      if (mu.status == MilestoneStatus::missed || mu.status == MilestoneStatus::lost)
        passed[static_cast<std::size_t>(mu.unit)].push_back("milestone " + m.result.milestone_id +
                                                            " " + milestone_status_name(mu.status));
    }
  }
  std::vector<const WorkFundPayout*> payout_of(n, nullptr);
  if (r.work_fund) {
    for (const WorkFundPayout& p : r.work_fund->payouts)
      payout_of[static_cast<std::size_t>(p.unit)] = &p;
  }
  if (r.projections) {
    for (const MilestoneProjection& m : r.projections->milestones) {
      for (const MilestoneUnitProjection& mu : m.units) {
        const auto u = static_cast<std::size_t>(mu.unit);
        if (mu.outlook == Outlook::at_risk || mu.outlook == Outlook::will_miss) {
          risk[u] = 1;
          ahead[u].push_back("milestone " + m.milestone_id + " " + outlook_name(mu.outlook));
        } else if (mu.outlook == Outlook::no_trend) {
          unknown[u] = 1;
          ahead[u].push_back("milestone " + m.milestone_id + " no_trend");
        }
      }
    }
    int first_open = -1;  // the first tier whose deadline is on or after as_of
    if (policy.work_fund) {
      for (std::size_t t = 0; t < policy.work_fund->tiers.size() && first_open < 0; ++t)
        if (policy.work_fund->tiers[t].deadline.date >= as_of) first_open = static_cast<int>(t);
    }
    if (r.projections->work_fund) {
      for (const WorkFundUnitProjection& p : r.projections->work_fund->units) {
        const auto u = static_cast<std::size_t>(p.unit);
        const WorkFundPayout* payout = payout_of[u];
        if (!payout || payout->status != WorkFundStatus::not_complete) continue;
        if (p.kind == FundProjectionKind::unknown) {
          unknown[u] = 1;
          ahead[u].push_back("work fund no_trend");
        } else if (p.kind == FundProjectionKind::projected &&
                   (p.status != WorkFundStatus::tier || p.tier != first_open)) {
          risk[u] = 1;
          ahead[u].push_back(p.status == WorkFundStatus::tier
                                 ? "work fund projected tier " + std::to_string(p.tier + 1)
                                 : std::string("work fund projected late"));
        }
      }
    }
  }

  for (std::size_t i = 0; i < policy.units.units.size(); ++i) {
    const Unit& unit = policy.units.units[i];
    if (unit.targets.empty()) continue;
    const int u = static_cast<int>(i);
    UnitAction ua;
    ua.unit = u;
    ua.unit_id = unit.id;
    for (const Target& t : unit.targets) {
      ua.gaps.push_back(make_gap(progress, in, u, t, as_of, s.last_deadline));
      const TargetGap& g = ua.gaps.back();
      if (g.target.num <= 0) continue;  // a zero target: no fraction to take
      const Ratio done = g.current ? divide(*g.current, g.target, Where{u, nullptr}) : Ratio(0);
      if (!ua.completion || done < *ua.completion) ua.completion = done;
    }
    const bool complete = r.completions[i].completed_on.has_value();
    // Late: a deadline concerning the unit passed unmet.
    ua.reasons = passed[i];
    for (const TargetGap& g : ua.gaps) {
      if (g.status == GapStatus::overdue)
        ua.reasons.push_back("target " + g.metric_id + " overdue");
    }
    const WorkFundPayout* payout = payout_of[i];
    if (payout && payout->status == WorkFundStatus::late && !complete)
      ua.reasons.push_back("work fund late");
    const bool late = !ua.reasons.empty();
    if (complete) {
      ua.standing = UnitStanding::complete;
      ua.reasons.clear();
    } else if (late) {
      ua.standing = UnitStanding::late;
    } else if (risk[i]) {
      ua.standing = UnitStanding::at_risk;
    } else if (unknown[i]) {
      ua.standing = UnitStanding::no_trend;
    } else {
      ua.standing = UnitStanding::on_track;
    }
    if (!complete && !late) ua.reasons.insert(ua.reasons.end(), ahead[i].begin(), ahead[i].end());
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
  std::stable_sort(a.units.begin(), a.units.end(), [](const UnitAction& x, const UnitAction& y) {
    if (x.standing != y.standing) return rank_of(x.standing) < rank_of(y.standing);
    if (x.completion.has_value() != y.completion.has_value()) return x.completion.has_value();
    if (x.completion && *x.completion != *y.completion) return *x.completion < *y.completion;
    return false;  // stable: policy order
  });
  return a;
}

}  // namespace detail
}  // namespace canbao
