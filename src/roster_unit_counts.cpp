// Per-unit counts of a roster's recommendations (unit_counts.hpp): persons
// linked by the roster's unit_id, counted at their unit and every unit above
// it, so a town's figures are its villages' figures added up.
#include <canbao/unit_counts.hpp>

#include <canbao/detail/message_text.hpp>
#include <canbao/error.hpp>
#include <canbao/facts.hpp>

namespace canbao {

namespace {

const BuiltinValues& builtin_of(const Policy& policy) {
  static const BuiltinValues none;
  return policy.recommendation ? policy.recommendation->facts.builtin : none;
}

void add(UnitCounts& c, const RosterPerson& p, const RosterResult& r) {
  ++c.persons;
  ++c.schemes[static_cast<std::size_t>(r.scheme)];
  for (int a = 0; a < kActionCount; ++a)
    c.actions[static_cast<std::size_t>(a)] += (r.actions >> a) & 1u;
  for (int g = 0; g < kGroupCount; ++g)
    c.groups[static_cast<std::size_t>(g)] += (r.groups >> g) & 1u;
  const auto status = static_cast<std::size_t>(p.person.insurance_status);
  // The roster reader accepts only the policy's codes; a hand-built roster
  // with another code is the caller's error, said plainly.
  if (status >= c.insurance_status.size())
    throw ArgumentError("roster", "insurance status code " + std::to_string(status) +
                                      " is outside the policy's list");
  ++c.insurance_status[status];
}

}  // namespace

std::vector<int> roster_unit_indices(const Policy& policy, const Roster& roster) {
  if (roster.unit_id_column == 0) {
    // The header's line, as the CSV reader names a missing column (file:1).
    throw InputError(ErrorPlace{roster.source, 1, std::nullopt, std::nullopt},
                     "the header has no unit_id column (per-unit counts link each row to a "
                     "policy unit; leave a cell empty for a person of no unit)");
  }
  std::vector<int> units;
  units.reserve(roster.persons.size());
  for (const RosterPerson& p : roster.persons) {
    if (p.unit_id.empty()) {
      units.push_back(-1);
      continue;
    }
    const int u = policy.units.find(p.unit_id);
    if (u < 0) {
      throw InputError(roster.source + ":" + std::to_string(p.line) + ":" +
                           std::to_string(roster.unit_id_column),
                       "unknown unit \"" + detail::excerpt(p.unit_id) +
                           "\" (expected a unit id of the policy, or an empty cell)");
    }
    units.push_back(u);
  }
  return units;
}

RosterUnitCounts count_by_unit(const Policy& policy, const Roster& roster,
                               const std::vector<int>& unit_of_person,
                               const std::vector<RosterResult>& results) {
  if (unit_of_person.size() != roster.persons.size() || results.size() != roster.persons.size()) {
    throw ArgumentError("unit_of_person", "expected one unit and one result per roster person (" +
                                              std::to_string(roster.persons.size()) + "), got " +
                                              std::to_string(unit_of_person.size()) + " and " +
                                              std::to_string(results.size()));
  }
  const std::size_t statuses =
      static_cast<std::size_t>(builtin_of(policy).count(BuiltinList::insurance_status));
  RosterUnitCounts out;
  out.units.resize(policy.units.units.size());
  for (std::size_t u = 0; u < out.units.size(); ++u) {
    out.units[u].unit = static_cast<int>(u);
    out.units[u].unit_id = policy.units.units[u].id;
    out.units[u].insurance_status.assign(statuses, 0);
  }
  out.unlinked.insurance_status.assign(statuses, 0);
  out.persons = static_cast<std::int64_t>(roster.persons.size());
  for (std::size_t i = 0; i < results.size(); ++i) {
    int u = unit_of_person[i];
    if (u < -1 || u >= static_cast<int>(out.units.size()))
      throw ArgumentError("unit_of_person[" + std::to_string(i) + "]", "not a unit index");
    if (u < 0) {
      add(out.unlinked, roster.persons[i], results[i]);
      continue;
    }
    ++out.units[static_cast<std::size_t>(u)].own_persons;
    // The unit and every unit above it: targets add up the same tree.
    for (; u >= 0; u = policy.units.units[static_cast<std::size_t>(u)].parent_index())
      add(out.units[static_cast<std::size_t>(u)], roster.persons[i], results[i]);
  }
  return out;
}

}  // namespace canbao
