// Per-person costs from a recommendation (docs/costs.md), their sums per unit
// up the unit tree, and the campaign's cost in one call: work fund +
// incentives + subsidies + 代缴, with 补缴 apart (collected, not spent).
#include <canbao/campaign_cost.hpp>

#include <canbao/error.hpp>
#include <canbao/policy.hpp>

namespace canbao {

namespace {

bool has(ActionSet actions, Action a) { return (actions & action_bit(a)) != 0; }

// Yearly yuan to fen (grades are at most 65535 yuan, years at most 100: no overflow).
Fen yuan_fen(std::int64_t yuan) { return Fen(yuan * 100); }

void add_payer(std::vector<PayerCost>& payers, const std::string& payer, Fen amount,
               bool illustrative) {
  for (auto& p : payers) {
    if (p.payer != payer) continue;
    p.amount += amount;
    p.illustrative = p.illustrative || illustrative;
    return;
  }
  payers.push_back(PayerCost{payer, amount, illustrative});
}

}  // namespace

const char* subsidy_basis_name(SubsidyBasis b) {
  switch (b) {
    case SubsidyBasis::not_resident:
      return "not_resident";
    case SubsidyBasis::own_grade:
      return "own_grade";
    case SubsidyBasis::government:
      return "government";
    case SubsidyBasis::back_pay:
      return "back_pay";
    case SubsidyBasis::grade_unknown:
      return "grade_unknown";
  }
  return "?";
}

PersonCost person_cost(const Costs& costs, const Person& person, Scheme scheme, ActionSet actions) {
  PersonCost c;
  if (has(actions, Action::back_pay)) {
    // 004 三(二)2: 60+ residents pay back in one sum (years x grade), collected from them.
    if (!costs.back_pay) throw PolicyError("costs.back_pay", "a person is to back-pay (补缴)");
    c.back_pay = yuan_fen(std::int64_t{costs.back_pay->years} * costs.back_pay->grade_yuan);
  }
  if (has(actions, Action::government_pays)) {
    // 004 三(二)2: the government pays the grade for 低保/特困/重度残疾, and its subsidy.
    if (!costs.government_pays)
      throw PolicyError("costs.government_pays",
                        "a person's contribution is paid by the government (代缴)");
    const GradeSubsidy* g = costs.grade_for(costs.government_pays->grade_yuan);
    c.basis = SubsidyBasis::government;
    c.grade_yuan = g ? g->yuan : 0;
    c.government_pays = yuan_fen(costs.government_pays->grade_yuan);
    c.subsidy = g ? g->subsidy : Fen(0);
  } else if (has(actions, Action::back_pay)) {
    c.basis = SubsidyBasis::back_pay;  // no yearly grade from here on: no yearly subsidy
  } else if (scheme == Scheme::resident) {
    const GradeSubsidy* g = costs.grade_for(person.resident_grade_yuan);
    c.basis = g ? SubsidyBasis::own_grade : SubsidyBasis::grade_unknown;
    c.grade_yuan = g ? g->yuan : 0;
    c.subsidy = g ? g->subsidy : Fen(0);
  }
  return c;
}

void CostTotals::add(const PersonCost& c) {
  ++persons;
  if (c.basis == SubsidyBasis::own_grade || c.basis == SubsidyBasis::government) ++subsidised;
  if (c.basis == SubsidyBasis::government) ++government_paid;
  if (c.back_pay != Fen(0)) ++back_paying;
  if (c.basis == SubsidyBasis::grade_unknown) ++grade_unknown;
  subsidy += c.subsidy;
  government_pays += c.government_pays;
  back_pay += c.back_pay;
}

std::vector<UnitCost> unit_costs(const Policy& policy, const std::vector<PersonCost>& persons,
                                 const std::vector<int>& unit_of_person) {
  const auto& units = policy.units.units;
  if (unit_of_person.size() != persons.size()) {
    throw ArgumentError("unit_of_person", "expected one per person (" +
                                              std::to_string(persons.size()) + "), got " +
                                              std::to_string(unit_of_person.size()));
  }
  std::vector<UnitCost> out(units.size());
  for (std::size_t u = 0; u < units.size(); ++u) {
    out[u].unit = static_cast<int>(u);
    out[u].unit_id = units[u].id;
  }
  for (std::size_t i = 0; i < persons.size(); ++i) {
    const int u = unit_of_person[i];
    if (u == -1) continue;
    if (u < 0 || static_cast<std::size_t>(u) >= units.size()) {
      throw ArgumentError("unit_of_person[" + std::to_string(i) + "]",
                          "unit index " + std::to_string(u) + " is out of range");
    }
    out[static_cast<std::size_t>(u)].own.add(persons[i]);
    // Roll up: the person counts in their unit and every unit above it.
    for (int a = u; a >= 0; a = units[static_cast<std::size_t>(a)].parent_index())
      out[static_cast<std::size_t>(a)].total.add(persons[i]);
  }
  return out;
}

CampaignCost campaign_cost(const Policy& policy, const Progress* progress, const Roster* roster,
                           const std::vector<RosterResult>* results, Date as_of,
                           const std::vector<int>* unit_of_person) {
  if (progress == nullptr && roster == nullptr)
    throw ArgumentError("campaign_cost", "give progress, a roster or both");
  CampaignCost out;
  out.as_of = as_of;
  if (progress != nullptr) {
    if (progress->policy().fingerprint() != policy.fingerprint())
      throw ArgumentError("progress", "was read for another policy");
    if (!policy.work_fund && policy.incentives.empty()) {
      throw ArgumentError("progress",
                          "the policy has neither a work_fund nor incentives: "
                          "progress prices nothing");
    }
    if (policy.work_fund) {
      out.work_fund = evaluate_work_fund(*progress, as_of, completion_dates(*progress, as_of));
      out.work_fund_total = out.work_fund->total;
      add_payer(out.payers, out.work_fund->payer, out.work_fund_total, false);
    }
    out.incentives = evaluate_incentives(*progress, as_of);
    for (const auto& r : out.incentives) {
      out.incentives_total += r.total;
      add_payer(out.payers, r.payer, r.total, r.illustrative);
      out.illustrative = out.illustrative || r.illustrative;
    }
  }
  if (roster != nullptr) {
    if (!policy.costs)
      throw ArgumentError("roster", "the policy has no costs section: a roster prices nothing");
    if (results == nullptr || results->size() != roster->persons.size())
      throw ArgumentError("results", "expected one recommendation per roster person");
    const Costs& costs = *policy.costs;
    out.has_persons = true;
    std::vector<PersonCost> person_costs;
    for (std::size_t i = 0; i < roster->persons.size(); ++i) {
      const RosterPerson& rp = roster->persons[i];
      const RosterResult& rr = (*results)[i];
      PersonCostRow row{rp.line,    rp.id,
                        -1,         rr.scheme,
                        rr.actions, person_cost(costs, rp.person, rr.scheme, rr.actions)};
      out.person_totals.add(row.cost);
      person_costs.push_back(row.cost);
      out.persons.push_back(std::move(row));
    }
    if (unit_of_person != nullptr) {
      out.units = unit_costs(policy, person_costs, *unit_of_person);
      for (std::size_t i = 0; i < out.persons.size(); ++i)
        out.persons[i].unit = (*unit_of_person)[i];
    }
    out.subsidy_total = out.person_totals.subsidy;
    out.government_pays_total = out.person_totals.government_pays;
    out.back_pay_collected = out.person_totals.back_pay;
    add_payer(out.payers, costs.payer, out.subsidy_total + out.government_pays_total,
              costs.illustrative);
    out.illustrative = out.illustrative || costs.illustrative;
  } else if (unit_of_person != nullptr) {
    throw ArgumentError("unit_of_person", "only goes with a roster");
  }
  out.total =
      out.work_fund_total + out.incentives_total + out.subsidy_total + out.government_pays_total;
  return out;
}

}  // namespace canbao
