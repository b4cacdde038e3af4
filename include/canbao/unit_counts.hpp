// Per-unit counts of a roster's recommendations, next to each unit's targets:
// "how many uninsured g3 persons are there per village, against that
// village's target?" A roster's optional unit_id column links each person to
// a policy unit; a unit's counts are its own persons plus those of every unit
// below it (a town counts its villages' persons), as targets add up.
#pragma once

#include <canbao/export.hpp>

#include <array>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include <canbao/policy.hpp>
#include <canbao/recommendation.hpp>
#include <canbao/roster.hpp>

namespace canbao {

struct UnitCounts {
  int unit = -1;                 // index into Policy::units; -1 for the persons linked to no unit
  std::string unit_id;           // "" for the persons linked to no unit
  std::int64_t persons = 0;      // linked to the unit or a unit below it
  std::int64_t own_persons = 0;  // linked to the unit itself
  std::array<std::int64_t, 3> schemes{};             // by Scheme value (none, employee, resident)
  std::array<std::int64_t, kActionCount> actions{};  // persons with action bit i
  std::array<std::int64_t, kGroupCount> groups{};    // persons in group g(i+1)
  // By insurance status code: the built-in states, then the ones the policy
  // adds (BuiltinValues::count(BuiltinList::insurance_status) entries).
  std::vector<std::int64_t> insurance_status;
};

struct RosterUnitCounts {
  std::vector<UnitCounts> units;  // every policy unit, policy order
  UnitCounts unlinked;            // rows whose unit_id cell is empty
  std::int64_t persons = 0;       // every roster person
};

// The unit index of each roster person (-1 for an empty unit_id cell).
// InputError "roster.csv:LINE:COLUMN: unknown unit ..." for an id the policy
// does not have, and "roster.csv:1:0: ..." when the header has no unit_id
// column: per-unit counts need every row linked or explicitly empty.
CANBAO_API std::vector<int> roster_unit_indices(const Policy& policy, const Roster& roster);

// Counts the results (one per roster person, recommend_roster's order) by unit.
// ArgumentError when the vectors' lengths differ.
CANBAO_API RosterUnitCounts count_by_unit(const Policy& policy, const Roster& roster,
                                          const std::vector<int>& unit_of_person,
                                          const std::vector<RosterResult>& results);

// The same counts in two steps, for a roster counted in parts (Python's
// canbao.dask: one part per file, on many machines). Own counts keep each
// person at their own unit only (a unit's persons == own_persons); parts'
// own counts add up field by field, then roll_up_unit_counts adds each unit's
// own counts to it and every unit above it, once. count_by_unit ==
// roll_up_unit_counts(own counts of the whole roster).
struct UnitCountColumns {
  std::size_t size = 0;                            // persons
  const std::int32_t* unit = nullptr;              // unit index, -1 for none
  const std::uint8_t* scheme = nullptr;            // Scheme value
  const std::uint8_t* actions = nullptr;           // ActionSet bits
  const std::uint8_t* groups = nullptr;            // GroupSet bits
  const std::uint8_t* insurance_status = nullptr;  // status code
};
// ArgumentError naming the column and row for a unit index or status code
// outside the policy's lists.
CANBAO_API RosterUnitCounts count_own_by_unit(const Policy& policy,
                                              const UnitCountColumns& columns);
// ArgumentError when `own` does not have the policy's units and statuses.
CANBAO_API RosterUnitCounts roll_up_unit_counts(const Policy& policy, const RosterUnitCounts& own);

// CSV (UTF-8, header row, "\n" line ends): one row per unit in policy order,
// then the persons linked to no unit (empty unit_id). Columns, documented in
// docs/roster.md#counts-by-unit: unit_id,name,level,persons,own_persons,
// scheme_<s>..., action_<a>..., group_g1..g8, status_<state>..., then
// target_<metric> for every metric some unit has a target for (empty when
// this unit has none).
CANBAO_API void write_unit_counts_csv(std::ostream& out, const Policy& policy,
                                      const RosterUnitCounts& counts);
// The same as JSON (the call_json "unit_counts" answer), then a newline.
CANBAO_API void write_unit_counts_json(std::ostream& out, const Policy& policy,
                                       const RosterUnitCounts& counts, int indent = -1);

}  // namespace canbao
