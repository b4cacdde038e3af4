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

// One person at one unit: own counts (roll_up_unit_counts adds them up the tree).
void add(UnitCounts& c, Scheme scheme, ActionSet actions, GroupSet groups, std::size_t status,
         const std::string& where) {
  ++c.persons;
  ++c.schemes[static_cast<std::size_t>(scheme)];
  for (int a = 0; a < kActionCount; ++a)
    c.actions[static_cast<std::size_t>(a)] += (actions >> a) & 1u;
  for (int g = 0; g < kGroupCount; ++g) c.groups[static_cast<std::size_t>(g)] += (groups >> g) & 1u;
  // The roster reader accepts only the policy's codes; a hand-built roster
  // with another code is the caller's error, said plainly.
  if (status >= c.insurance_status.size())
    throw ArgumentError(
        where, "insurance status code " + std::to_string(status) + " is outside the policy's list");
  ++c.insurance_status[status];
}

// `to` += `from`, field by field.
void plus(UnitCounts& to, const UnitCounts& from) {
  to.persons += from.persons;
  for (std::size_t i = 0; i < to.schemes.size(); ++i) to.schemes[i] += from.schemes[i];
  for (std::size_t i = 0; i < to.actions.size(); ++i) to.actions[i] += from.actions[i];
  for (std::size_t i = 0; i < to.groups.size(); ++i) to.groups[i] += from.groups[i];
  for (std::size_t i = 0; i < to.insurance_status.size(); ++i)
    to.insurance_status[i] += from.insurance_status[i];
}

// Zero counts for every policy unit and the unlinked persons.
RosterUnitCounts zero_counts(const Policy& policy) {
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
  return out;
}

// The counts of unit u (-1: the unlinked persons); u is checked by the caller.
UnitCounts& own_unit(RosterUnitCounts& own, int u) {
  if (u < 0) return own.unlinked;
  UnitCounts& c = own.units[static_cast<std::size_t>(u)];
  ++c.own_persons;
  return c;
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
  RosterUnitCounts own = zero_counts(policy);
  own.persons = static_cast<std::int64_t>(roster.persons.size());
  for (std::size_t i = 0; i < results.size(); ++i) {
    const RosterResult& r = results[i];
    const int u = unit_of_person[i];
    if (u < -1 || u >= static_cast<int>(own.units.size()))
      throw ArgumentError("unit_of_person[" + std::to_string(i) + "]", "not a unit index");
    add(own_unit(own, u), r.scheme, r.actions, r.groups,
        static_cast<std::size_t>(roster.persons[i].person.insurance_status), "roster");
  }
  return roll_up_unit_counts(policy, own);
}

RosterUnitCounts count_own_by_unit(const Policy& policy, const UnitCountColumns& columns) {
  if (columns.size > 0 && (!columns.unit || !columns.scheme || !columns.actions ||
                           !columns.groups || !columns.insurance_status))
    throw ArgumentError("columns", "expected unit, scheme, actions, groups and insurance_status");
  RosterUnitCounts own = zero_counts(policy);
  own.persons = static_cast<std::int64_t>(columns.size);
  const std::size_t statuses = own.unlinked.insurance_status.size();
  for (std::size_t i = 0; i < columns.size; ++i) {
    // The places are spelled only on error: no string per row.
    auto at = [i](const char* column) {
      return std::string("columns.") + column + "[" + std::to_string(i) + "]";
    };
    if (columns.scheme[i] > static_cast<std::uint8_t>(Scheme::resident))
      throw ArgumentError(at("scheme"), "not a scheme code");
    if (columns.insurance_status[i] >= statuses)
      throw ArgumentError(at("insurance_status"), "insurance status code " +
                                                      std::to_string(columns.insurance_status[i]) +
                                                      " is outside the policy's list");
    const int u = columns.unit[i];
    if (u < -1 || u >= static_cast<int>(own.units.size()))
      throw ArgumentError(at("unit"), "not a unit index");
    add(own_unit(own, u), static_cast<Scheme>(columns.scheme[i]), columns.actions[i],
        columns.groups[i], columns.insurance_status[i], "");
  }
  return own;
}

RosterUnitCounts roll_up_unit_counts(const Policy& policy, const RosterUnitCounts& own) {
  RosterUnitCounts out = zero_counts(policy);
  const std::size_t statuses = out.unlinked.insurance_status.size();
  if (own.units.size() != out.units.size())
    throw ArgumentError("own", "expected counts for the policy's " +
                                   std::to_string(out.units.size()) + " units, got " +
                                   std::to_string(own.units.size()));
  if (own.unlinked.insurance_status.size() != statuses)
    throw ArgumentError("own.unlinked.insurance_status",
                        "expected " + std::to_string(statuses) + " insurance statuses");
  out.persons = own.persons;
  out.unlinked = own.unlinked;
  for (std::size_t u = 0; u < own.units.size(); ++u) {
    const UnitCounts& c = own.units[u];
    if (c.insurance_status.size() != statuses)
      throw ArgumentError("own.units[" + std::to_string(u) + "].insurance_status",
                          "expected " + std::to_string(statuses) + " insurance statuses");
    out.units[u].own_persons = c.persons;
    // The unit and every unit above it: targets add up the same tree.
    for (int v = static_cast<int>(u); v >= 0;
         v = policy.units.units[static_cast<std::size_t>(v)].parent_index())
      plus(out.units[static_cast<std::size_t>(v)], c);
  }
  return out;
}

}  // namespace canbao
