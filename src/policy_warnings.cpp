// Consistency warnings of a policy that loads (policy_check.hpp): things that
// are legal but most likely a mistake. load_policy never reports them;
// `canbao validate` does, and `--strict` makes them errors. See docs/editor.md.
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "detail/policy_check.hpp"
#include "detail/policy_reader.hpp"
#include "detail/unit_places.hpp"

namespace canbao::detail {

namespace {

// `units[3]`, or `units.csv:5` for a unit table (unit_places.hpp).
std::string unit_path(const Policy& p, int u) {
  return unit_places(p.units).unit(static_cast<std::size_t>(u));
}

std::string count_text(const Ratio& r) { return r.decimal_string(0); }

// A parent with its own count target (given, or allocated from its own parent)
// whose children all have one: their sum should be the parent's. Allocated
// children add up by construction (allocation.hpp); given ones may not
// (001: the county's 106,800 are the six towns' targets).
void targets_add_up(const Policy& p, std::vector<PolicyDiagnostic>& out) {
  const auto& units = p.units.units;
  for (std::size_t u = 0; u < units.size(); ++u) {
    const Unit& parent = units[u];
    if (parent.children().empty()) continue;
    for (std::size_t m = 0; m < p.metrics.size(); ++m) {
      if (p.metrics[m].kind != MetricKind::count) continue;
      const int mi = static_cast<int>(m);
      const Target* own = parent.target(mi);
      if (!own || own->origin == TargetOrigin::implied) continue;
      std::int64_t sum = 0;  // count targets are whole numbers (den 1)
      bool all = true;
      for (int c : parent.children()) {
        const Target* t = units[static_cast<std::size_t>(c)].target(mi);
        if (!t || __builtin_add_overflow(sum, t->value.num, &sum)) {
          all = false;
          break;
        }
      }
      if (!all || Ratio(sum) == own->value) continue;
      // The children are listed only in a warning (no text per unit otherwise).
      std::string children;
      for (int c : parent.children()) {
        if (!children.empty()) children += ", ";
        const Unit& child = units[static_cast<std::size_t>(c)];
        children +=
            unit_path(p, c) + " " + in_quotes(child.id) + " " + count_text(child.target(mi)->value);
      }
      out.push_back(PolicyDiagnostic{
          Severity::warning, unit_places(p.units).at(u, "targets", p.metrics[m].id),
          "unit " + in_quotes(parent.id) + " has target " + count_text(own->value) + " for " +
              in_quotes(p.metrics[m].id) + ", but its children's targets add up to " +
              count_text(Ratio(sum)) + " (" + children + ")"});
    }
  }
}

// The campaign's last day: campaign.end, else the latest end of a phase with
// an end of its own; none when a phase is open-ended.
std::optional<std::pair<Date, std::string>> campaign_last_day(const Campaign& c) {
  if (c.end) return std::make_pair(c.end->date, std::string("campaign.end"));
  std::optional<std::pair<Date, std::string>> last;
  for (std::size_t i = 0; i < c.phases.size(); ++i) {
    if (c.phases[i].open_end) return std::nullopt;
    if (!last || c.phases[i].end.date > last->first)
      last =
          std::make_pair(c.phases[i].end.date, path_key(path_index("campaign.phases", i), "end"));
  }
  return last;
}

void dates_in_campaign(const Policy& p, std::vector<PolicyDiagnostic>& out) {
  const Date first = campaign_first_day(p.campaign);
  const auto last = campaign_last_day(p.campaign);
  for (std::size_t i = 0; i < p.milestones.size(); ++i) {
    const Date due = p.milestones[i].due.date;
    const std::string at = path_key(path_index("milestones", i), "due");
    if (due < first) {
      out.push_back(PolicyDiagnostic{
          Severity::warning, at,
          "due " + due.iso() + ", before the campaign starts (" + first.iso() + ")"});
    } else if (last && due > last->first) {
      out.push_back(PolicyDiagnostic{Severity::warning, at,
                                     "due " + due.iso() + ", after the campaign ends (" +
                                         last->second + " " + last->first.iso() + ")"});
    }
  }
  if (p.work_fund && last) {
    const auto& tiers = p.work_fund->tiers;
    for (std::size_t i = 0; i < tiers.size(); ++i) {
      if (tiers[i].deadline.date <= last->first) continue;
      out.push_back(PolicyDiagnostic{
          Severity::warning, path_key(path_index("work_fund.tiers", i), "deadline"),
          tiers[i].deadline.date.iso() + " is after the campaign ends (" + last->second + " " +
              last->first.iso() + ")"});
    }
  }
}

// A metric no rule reads: no given target, milestone, completion task, score,
// work fund or incentive basis, and no such metric's rate or average over it.
void unused_metrics(const Policy& p, std::vector<PolicyDiagnostic>& out) {
  std::set<int> used;
  for (const Unit& u : p.units.units)
    for (const Target& t : u.targets) used.insert(t.metric_index());
  for (const Milestone& m : p.milestones) used.insert(m.condition.metric_index());
  if (p.completion)
    for (const Condition& c : p.completion->tasks) used.insert(c.metric_index());
  if (p.work_fund) used.insert(p.work_fund->basis_metric_index());
  if (p.scoring) {
    for (const Indicator& i : p.scoring->indicators) used.insert(i.metric_index());
    for (const Deduction& d : p.scoring->deductions) used.insert(d.metric_index());
  }
  for (const Incentive& i : p.incentives) {
    used.insert(i.basis_metric_index());
    if (i.when) used.insert(i.when->metric_index());
  }
  // A used rate reads its numerator and denominator; a used average its weight.
  for (std::size_t m = 0; m < p.metrics.size(); ++m) {
    if (!used.count(static_cast<int>(m))) continue;
    const Metric& metric = p.metrics[m];
    for (int ref : {metric.numerator_index(), metric.denominator_index(), metric.weight_index()})
      used.insert(ref);
  }
  for (std::size_t m = 0; m < p.metrics.size(); ++m) {
    if (used.count(static_cast<int>(m))) continue;
    out.push_back(PolicyDiagnostic{
        Severity::warning, path_index("metrics", m),
        "metric " + in_quotes(p.metrics[m].id) +
            " is never used: no target, milestone, completion task, score, work fund, "
            "incentive or used rate/average refers to it"});
  }
}

}  // namespace

std::vector<PolicyDiagnostic> policy_warnings(const Policy& policy) {
  std::vector<PolicyDiagnostic> out;
  targets_add_up(policy, out);
  dates_in_campaign(policy, out);
  unused_metrics(policy, out);
  return out;
}

}  // namespace canbao::detail
