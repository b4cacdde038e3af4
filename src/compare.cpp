// Base-versus-reform comparison: evaluate each policy on its own, then match
// results by roster row, unit id and milestone id. No rule is computed here
// that the evaluation functions do not already compute.
#include <canbao/compare.hpp>

#include <algorithm>
#include <map>
#include <sstream>
#include <tuple>

#include <canbao/error.hpp>
#include <canbao/ranking.hpp>
#include <canbao/recommender.hpp>

namespace canbao {
namespace {

Recommender recommender_of(const PolicyPtr& p, const char* which) {
  if (!p->recommendation) {
    throw PolicyError(std::string(which) + " policy: recommendation",
                      "the policy has no recommendation section: a roster cannot be compared");
  }
  return Recommender(p);
}

PeopleComparison compare_people(const PolicyPtr& base, const PolicyPtr& reform,
                                const Roster& roster, Date as_of, std::size_t samples) {
  const auto before = recommend_roster(recommender_of(base, "base"), roster, as_of);
  const auto after = recommend_roster(recommender_of(reform, "reformed"), roster, as_of);
  PeopleComparison out;
  out.people = static_cast<std::int64_t>(before.size());
  using Key = std::tuple<int, int, int, int>;
  std::map<Key, std::int64_t> counts;  // ordered: before scheme/actions, then after
  for (std::size_t i = 0; i < before.size(); ++i) {
    const RosterResult& b = before[i];
    const RosterResult& a = after[i];
    ++counts[Key{static_cast<int>(b.scheme), b.actions, static_cast<int>(a.scheme), a.actions}];
    if (b.groups != a.groups) ++out.groups_changed;
    if (b.scheme == a.scheme && b.actions == a.actions) continue;
    ++out.changed;
    if (out.samples.size() < samples) {
      const RosterPerson& p = roster.persons[i];
      out.samples.push_back(PersonChange{i, p.id, p.id_number_masked, p.person.sex, b.age,
                                         PersonAnswer{b.scheme, b.actions, b.groups},
                                         PersonAnswer{a.scheme, a.actions, a.groups}});
    }
  }
  for (const auto& [key, n] : counts) {
    out.transitions.push_back(Transition{
        static_cast<Scheme>(std::get<0>(key)), static_cast<ActionSet>(std::get<1>(key)),
        static_cast<Scheme>(std::get<2>(key)), static_cast<ActionSet>(std::get<3>(key)), n});
  }
  return out;
}

std::string unit_name(const Policy& p, const std::string& id) {
  for (const Unit& u : p.units.units) {
    if (u.id == id) return u.name;
  }
  return "";
}

PayoutComparison compare_payouts(const Policy& base, const Policy& reform,
                                 const std::optional<WorkFundResult>& b,
                                 const std::optional<WorkFundResult>& a) {
  PayoutComparison out;
  std::vector<UnitPayoutChange>& units = out.units;
  std::map<std::string, std::size_t> at;  // unit id -> index in units
  auto row = [&](const std::string& id, const Policy& names) -> UnitPayoutChange& {
    auto [it, inserted] = at.emplace(id, units.size());
    if (inserted) {
      units.push_back(UnitPayoutChange{});
      units.back().unit_id = id;
      units.back().unit_name = unit_name(names, id);
    }
    return units[it->second];
  };
  if (b) {
    for (const WorkFundPayout& p : b->payouts) {
      UnitPayoutChange& u = row(p.unit_id, base);
      u.present_before = true;
      u.completed_before = p.completed_on;
      u.status_before = p.status;
      u.tier_before = p.status == WorkFundStatus::tier ? p.tier : -1;
      u.before = p.amount;
    }
    out.total_before = b->total;
  }
  if (a) {
    for (const WorkFundPayout& p : a->payouts) {
      UnitPayoutChange& u = row(p.unit_id, reform);
      u.present_after = true;
      u.completed_after = p.completed_on;
      u.status_after = p.status;
      u.tier_after = p.status == WorkFundStatus::tier ? p.tier : -1;
      u.after = p.amount;
    }
    out.total_after = a->total;
  }
  for (UnitPayoutChange& u : units) {
    u.delta = u.after - u.before;
    if (u.delta != Fen(0)) ++out.units_changed;
  }
  out.total_delta = out.total_after - out.total_before;
  return out;
}

ScoreComparison compare_scores(const std::optional<Ranking>& b, const std::optional<Ranking>& a) {
  ScoreComparison out;
  std::map<std::string, std::size_t> at;
  auto row = [&](const std::string& id) -> UnitScoreChange& {
    auto [it, inserted] = at.emplace(id, out.units.size());
    if (inserted) {
      out.units.push_back(UnitScoreChange{});
      out.units.back().unit_id = id;
    }
    return out.units[it->second];
  };
  if (b) {
    for (const UnitScore& s : b->units) {
      UnitScoreChange& u = row(s.unit_id);
      u.present_before = true;
      u.micro_points_before = s.total_micro_points;
      u.rank_before = s.rank;
      u.grade_before = s.grade;
      u.eligible_before = s.eligible_for_awards;
    }
  }
  if (a) {
    for (const UnitScore& s : a->units) {
      UnitScoreChange& u = row(s.unit_id);
      u.present_after = true;
      u.micro_points_after = s.total_micro_points;
      u.rank_after = s.rank;
      u.grade_after = s.grade;
      u.eligible_after = s.eligible_for_awards;
    }
  }
  for (const UnitScoreChange& u : out.units) out.units_changed += u.changed() ? 1 : 0;
  return out;
}

std::vector<MilestoneChange> compare_milestones(const std::vector<MilestoneResult>& b,
                                                const std::vector<MilestoneResult>& a) {
  // (milestone id, unit id) -> status and due date, per side; order of first appearance.
  struct Side {
    std::optional<MilestoneStatus> status;
    std::optional<Date> due;
  };
  std::vector<std::pair<std::string, std::string>> order;
  std::map<std::pair<std::string, std::string>, std::pair<Side, Side>> seen;
  auto put = [&](const std::vector<MilestoneResult>& results, bool after) {
    for (const MilestoneResult& m : results) {
      for (const MilestoneUnitResult& u : m.units) {
        const auto key = std::make_pair(m.milestone_id, u.unit_id);
        auto [it, inserted] = seen.emplace(key, std::pair<Side, Side>{});
        if (inserted) order.push_back(key);
        Side& side = after ? it->second.second : it->second.first;
        side.status = u.status;
        side.due = m.due;
      }
    }
  };
  put(b, false);
  put(a, true);
  std::vector<MilestoneChange> out;
  for (const auto& key : order) {
    const auto& [before, after] = seen.at(key);
    if (before.status == after.status) continue;
    MilestoneChange c;
    c.milestone_id = key.first;
    c.unit_id = key.second;
    c.before = before.status;
    c.after = after.status;
    c.due_before = before.due;
    c.due_after = after.due;
    const bool met_before = before.status == MilestoneStatus::met_on_time;
    const bool met_after = after.status == MilestoneStatus::met_on_time;
    c.kind = met_after && !met_before   ? MilestoneChange::Kind::newly_met
             : met_before && !met_after ? MilestoneChange::Kind::newly_missed
                                        : MilestoneChange::Kind::other;
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

const char* milestone_change_kind_name(MilestoneChange::Kind k) noexcept {
  switch (k) {
    case MilestoneChange::Kind::newly_met:
      return "newly_met";
    case MilestoneChange::Kind::newly_missed:
      return "newly_missed";
    case MilestoneChange::Kind::other:
      return "changed";
  }
  return "?";
}

ProgressReader progress_from_csv_text(std::string csv_text, std::string source) {
  return [text = std::move(csv_text), source = std::move(source)](const PolicyPtr& policy) {
    std::istringstream in(text);
    return read_progress_csv(policy, in, source);
  };
}

ProgressReader progress_from_records(std::vector<Observation> records) {
  return [records = std::move(records)](const PolicyPtr& policy) {
    return Progress::from_records(policy, records);
  };
}

ReformComparison compare(const PolicyPtr& base, const PolicyPtr& reform, const Roster* roster,
                         const ProgressReader& progress, Date as_of,
                         const CompareOptions& options) {
  if (!base || !reform) throw ArgumentError(base ? "reform" : "base", "no policy given");
  if (roster == nullptr && !progress) {
    throw ArgumentError("roster/progress",
                        "give a roster, progress, or both: there is nothing to compare");
  }
  ReformComparison c;
  c.as_of = as_of;
  c.base_fingerprint = base->fingerprint();
  c.reform_fingerprint = reform->fingerprint();
  c.reform_provenance = reform->provenance;
  if (roster != nullptr) c.people = compare_people(base, reform, *roster, as_of, options.samples);
  if (progress) {
    const Progress pb = progress(base);
    const Progress pa = progress(reform);
    const auto cb = completion_dates(pb, as_of);
    const auto ca = completion_dates(pa, as_of);
    if (base->work_fund || reform->work_fund) {
      std::optional<WorkFundResult> wb, wa;
      if (base->work_fund) wb = evaluate_work_fund(pb, as_of, cb);
      if (reform->work_fund) wa = evaluate_work_fund(pa, as_of, ca);
      c.payouts = compare_payouts(*base, *reform, wb, wa);
    }
    if (base->scoring || reform->scoring) {
      std::optional<Ranking> rb, ra;
      if (base->scoring) rb = score_and_rank(pb, as_of, cb);
      if (reform->scoring) ra = score_and_rank(pa, as_of, ca);
      c.scores = compare_scores(rb, ra);
    }
    c.milestones =
        compare_milestones(evaluate_milestones(pb, as_of), evaluate_milestones(pa, as_of));
  }
  return c;
}

}  // namespace canbao
