// What a campaign costs, in exact fen (docs/costs.md): the work fund
// (work_fund.hpp), the policy's incentives (incentives.hpp), the government's
// yearly subsidies per person by contribution grade and its 代缴 for hardship
// groups (costs.hpp, 004 三(二)2), with back pay (补缴) shown apart: it is
// collected from persons, not spent. Pure functions of the policy, progress
// and a roster's recommendations: a policy change changes the costs.
#pragma once

#include <canbao/export.hpp>

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include <canbao/date.hpp>
#include <canbao/evaluation.hpp>
#include <canbao/money.hpp>
#include <canbao/progress.hpp>
#include <canbao/recommendation.hpp>
#include <canbao/roster.hpp>

namespace canbao {

// ---- incentives ------------------------------------------------------------

enum class IncentiveStatus {
  qualified,      // qualified on or before as_of (within a tier for tiered schemes)
  late,           // tiered: qualified after the last deadline, or not qualified
                  // with the last deadline passed; nothing is paid
  not_qualified,  // not qualified as of as_of (a deadline still open, or no tiers)
};
CANBAO_API const char* incentive_status_name(IncentiveStatus s);  // "qualified", ...

struct IncentivePayout {
  int unit = -1;
  std::string unit_id;
  IncentiveStatus status = IncentiveStatus::not_qualified;
  // The first day `when` held; without `when`, the completion date for
  // tiered schemes; nothing for flat schemes without `when` (they always qualify).
  std::optional<Date> qualified_on;
  int tier = -1;                 // index into Incentive::tiers when paid by a tier
  std::optional<Date> deadline;  // that tier's deadline
  IncentiveAmount rate;          // the flat amount or the tier's; 0 when nothing is paid
  // The basis metric's count (0 without a basis metric) and the day it was
  // taken: the qualifying day for tiered schemes, as_of otherwise.
  std::int64_t basis = 0;
  Date basis_on;
  Fen uncapped;  // rate x basis (per person) or rate (per unit)
  Fen amount;    // uncapped, or the cap when it is lower
  bool capped = false;
};

struct IncentiveResult {
  int incentive = -1;  // index into Policy::incentives
  std::string incentive_id;
  std::string payer;
  bool illustrative = false;
  std::vector<IncentivePayout> payouts;  // every unit in Incentive::units, policy order
  Fen total;
};

// Every incentive of the policy as of a day, in policy order. OverflowError
// naming the unit when an amount or a total overflows int64 fen.
CANBAO_API std::vector<IncentiveResult> evaluate_incentives(const Progress& progress, Date as_of);

// ---- per-person costs ------------------------------------------------------

// Which grade's subsidy a person gets (docs/costs.md).
enum class SubsidyBasis {
  not_resident,   // not recommended into the resident scheme (and no 代缴): no subsidy
  own_grade,      // their own grade (Person::resident_grade_yuan): the highest table grade <= it
  government,     // 代缴: the government pays costs.government_pays's grade
  back_pay,       // 补缴: paid back in one sum, no yearly grade, no yearly subsidy
  grade_unknown,  // resident with grade 0 or below the lowest table grade: no subsidy counted
};
CANBAO_API const char* subsidy_basis_name(SubsidyBasis b);  // "own_grade", ...

struct PersonCost {
  SubsidyBasis basis = SubsidyBasis::not_resident;
  int grade_yuan = 0;   // the table grade used (0 when none)
  Fen subsidy;          // per year, paid by the government
  Fen government_pays;  // per year, 代缴
  Fen back_pay;         // once, collected from the person (not a cost)
  Fen cost() const { return subsidy + government_pays; }
};

// One person's costs from their recommendation (scheme and actions).
CANBAO_API PersonCost person_cost(const Costs& costs, const Person& person, Scheme scheme,
                                  ActionSet actions);

struct CostTotals {
  std::int64_t persons = 0;
  std::int64_t subsidised = 0;       // own_grade or government
  std::int64_t government_paid = 0;  // 代缴 persons
  std::int64_t back_paying = 0;      // 补缴 persons
  std::int64_t grade_unknown = 0;
  Fen subsidy;
  Fen government_pays;
  Fen back_pay;
  void add(const PersonCost& c);
};

struct UnitCost {
  int unit = -1;
  std::string unit_id;
  CostTotals own;    // persons linked to this unit
  CostTotals total;  // this unit and every unit below it
};

// Per unit, every unit in policy order: `unit_of_person[i]` is person i's
// unit index (-1: linked to none; counted in no unit). ArgumentError when
// the sizes differ or an index is out of range.
CANBAO_API std::vector<UnitCost> unit_costs(const Policy& policy,
                                            const std::vector<PersonCost>& persons,
                                            const std::vector<int>& unit_of_person);

// A roster's units per person: roster_unit_indices (unit_counts.hpp).

// ---- the campaign's cost ---------------------------------------------------

struct PersonCostRow {
  std::size_t line = 0;  // roster line
  std::string row_id;    // the roster's own row id, never the ID number
  int unit = -1;         // when unit_of_person was given
  Scheme scheme = Scheme::none;
  ActionSet actions = 0;
  PersonCost cost;
};

struct PayerCost {
  std::string payer;  // as the policy names it; "" when a section names none
  Fen amount;
  bool illustrative = false;  // some of it is an illustrative amount
};

struct CampaignCost {
  Date as_of;
  std::optional<WorkFundResult> work_fund;  // progress given and the policy has a work fund
  std::vector<IncentiveResult> incentives;  // progress given
  bool has_persons = false;                 // a roster was given
  std::vector<PersonCostRow> persons;       // roster order
  std::vector<UnitCost> units;              // when unit_of_person was given
  CostTotals person_totals;
  Fen work_fund_total;
  Fen incentives_total;
  Fen subsidy_total;          // per year
  Fen government_pays_total;  // per year
  // The cost: work fund + incentives + subsidies + 代缴 (one year of the last two).
  Fen total;
  Fen back_pay_collected;         // 补缴, collected from persons: not in total
  std::vector<PayerCost> payers;  // total split by payer, in order of first appearance
  bool illustrative = false;      // some amount in total is illustrative
};

// The campaign's cost in one call. `progress` (work fund and incentives) and
// `roster` with its `results` (subsidies, 代缴, 补缴) are each optional;
// `unit_of_person` (one unit index per roster person, -1 for none) adds
// per-unit totals. ArgumentError when a roster is given to a policy without
// costs, progress to one with neither work fund nor incentives, or nothing at all.
CANBAO_API CampaignCost campaign_cost(const Policy& policy, const Progress* progress,
                                      const Roster* roster,
                                      const std::vector<RosterResult>* results, Date as_of,
                                      const std::vector<int>* unit_of_person = nullptr);

// Writers (campaign_cost_writers.cpp). Text: yuan with two decimals, amounts
// from illustrative sections marked "(示例 illustrative)". JSON: the value
// call_json answers for {"op":"costs"}. CSV: one row per money line.
CANBAO_API void write_campaign_cost_text(const CampaignCost& cost, const Policy& policy,
                                         std::ostream& out);
CANBAO_API void write_campaign_cost_json(const CampaignCost& cost, const Policy& policy,
                                         std::ostream& out, int indent = 2);
CANBAO_API void write_campaign_cost_csv(const CampaignCost& cost, const Policy& policy,
                                        std::ostream& out);

}  // namespace canbao
