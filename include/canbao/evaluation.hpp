// Campaign evaluation: completion dates, milestone status and the work fund,
// computed from a policy and its progress as of a day. Pure functions: they
// read only observations on or before `as_of` and return plain result structs
// (unit index and id, dates, Fen, enums) that writers print as they are.
#pragma once

#include <canbao/export.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <canbao/date.hpp>
#include <canbao/money.hpp>
#include <canbao/progress.hpp>

namespace canbao {

// A unit's completion: the first day on which every `completion.tasks`
// condition holds, looking only at observations on or before as_of.
// Completion is only ever established on a day some task metric changes (an
// observation day of the unit or its descendants); a unit with no
// observations is never complete.
struct UnitCompletion {
  int unit = -1;
  std::string unit_id;
  // false when the unit lacks a target a task compares to ("target"): the
  // policy does not define completion for it (the loader only requires
  // targets on paid and ranked units).
  bool evaluated = true;
  std::optional<Date> completed_on;  // nothing: not complete as of as_of (or not evaluated)
};

// A milestone is met on time when its condition holds on the due date (000:
// "6月底...入库参保率达到90%以上": the figure at the end of June). Reaching the value
// earlier and losing it by the due date is not met (`lost`). The work fund's
// completion keeps its first-completion rule instead (docs/work-fund.md): a
// payment tier is earned the day a unit first finishes.
enum class MilestoneStatus {
  met_on_time,  // the condition holds on the due date
  met_late,     // it did not hold on the due date; it first held after it (met_on)
  lost,         // reached on or before the due date (reached_on) but not holding on it,
                // and not holding on any day since (as of as_of)
  missed,       // never held on or before the due date, nor since; the due date has passed
  reached,      // not yet due; the condition holds as of as_of (it may still be lost)
  not_yet_due,  // not yet due; the condition does not hold as of as_of
};
CANBAO_API const char* milestone_status_name(MilestoneStatus s);  // "met_on_time", ...

struct MilestoneUnitResult {
  int unit = -1;
  std::string unit_id;
  MilestoneStatus status = MilestoneStatus::not_yet_due;
  // met_on_time and reached: the first day the condition held; met_late: the
  // first day after the due date it held; otherwise nothing.
  std::optional<Date> met_on;
  // The first day (<= as_of) the condition ever held, whatever came after:
  // for `lost`, the day the value was reached before it was lost.
  std::optional<Date> reached_on;
};

struct MilestoneResult {
  int milestone = -1;  // index into Policy::milestones
  std::string milestone_id;
  Date due;
  std::vector<MilestoneUnitResult> units;  // every unit in scope, policy order
};

enum class WorkFundStatus {
  tier,          // complete on or before a tier deadline: tier rate x basis
  late,          // complete after the last deadline, or never with the last deadline passed:
                 // the policy's late rule
  not_complete,  // not complete as of as_of, a deadline still open: nothing yet
};
CANBAO_API const char* work_fund_status_name(WorkFundStatus s);  // "tier", "late", "not_complete"

struct WorkFundPayout {
  int unit = -1;
  std::string unit_id;
  std::optional<Date> completed_on;
  WorkFundStatus status = WorkFundStatus::not_complete;
  int tier = -1;                 // index into WorkFund::tiers when status == tier
  std::optional<Date> deadline;  // that tier's deadline
  Fen per_person;                // tier rate, or the late rule's (0 for zero)
  // The basis count and the day it was taken: the completion date, the fixed
  // basis date, or as_of for a unit never complete (capped at as_of: no
  // observation after as_of is read).
  std::int64_t basis = 0;
  Date basis_on;
  Fen amount;  // per_person x basis, exact
};

struct WorkFundResult {
  std::vector<WorkFundPayout> payouts;  // every paid unit, policy order
  Fen total;
  std::string payer;
};

// Completion date of every unit, policy order. Without `completion` in the
// policy every unit is returned with no date.
CANBAO_API std::vector<UnitCompletion> completion_dates(const Progress& progress, Date as_of);

// The first day (<= as_of) on which `condition` holds for a unit; nothing when
// it never does. `use_target` reads the unit's own target (PolicyError if the
// unit has none).
CANBAO_API std::optional<Date> first_day_holding(const Progress& progress, int unit,
                                      const std::vector<Condition>& conditions, Date as_of);

CANBAO_API std::vector<MilestoneResult> evaluate_milestones(const Progress& progress, Date as_of);

// Payouts per 000's tiers. `completions` is completion_dates(progress, as_of).
// ArgumentError when the policy has no work_fund; OverflowError naming the
// unit when an amount or the total overflows int64 fen.
CANBAO_API WorkFundResult evaluate_work_fund(const Progress& progress, Date as_of,
                                  const std::vector<UnitCompletion>& completions);

// The units a scope selects, in policy order (the loader resolves them; a
// hand-built Scope without unit_indices is resolved here by its kind).
CANBAO_API std::vector<int> scope_units(const Policy& policy, const Scope& scope);

}  // namespace canbao
