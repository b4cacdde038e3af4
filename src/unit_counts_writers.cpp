// Per-unit roster counts out: CSV and JSON (docs/roster.md#counts-by-unit).
// Only formatting: the counts come from count_by_unit.
#include <ostream>

#include <canbao/detail/message_text.hpp>
#include <canbao/facts.hpp>
#include <canbao/unit_counts.hpp>

#include "detail/csv.hpp"
#include "detail/unit_counts_json.hpp"

namespace canbao {

namespace {

using nlohmann::json;

const BuiltinValues& builtin_of(const Policy& policy) {
  static const BuiltinValues none;
  return policy.recommendation ? policy.recommendation->facts.builtin : none;
}

constexpr Scheme kSchemes[] = {Scheme::employee, Scheme::resident, Scheme::none};

// Metrics some unit has a target for, in policy order: the target columns.
std::vector<int> target_metrics(const Policy& policy) {
  std::vector<bool> has(policy.metrics.size(), false);
  for (const Unit& u : policy.units.units) {
    for (const Target& t : u.targets) has[static_cast<std::size_t>(t.metric_index())] = true;
  }
  std::vector<int> out;
  for (std::size_t m = 0; m < has.size(); ++m) {
    if (has[m]) out.push_back(static_cast<int>(m));
  }
  return out;
}

std::string group_id(int g) { return "g" + std::to_string(g + 1); }

// Unit names and ids come from the policy; an ID-like digit run in one is masked.
std::string safe(const std::string& text) { return detail::mask_id_numbers(text); }

json counts_json(const Policy& policy, const UnitCounts& c) {
  const BuiltinValues& builtin = builtin_of(policy);
  json o = json::object();
  if (c.unit >= 0) {
    const Unit& u = policy.units.units[static_cast<std::size_t>(c.unit)];
    o["unit_id"] = safe(u.id);
    o["name"] = safe(u.name);
    o["level"] = safe(u.level);
    o["own_persons"] = c.own_persons;
    json targets = json::object();
    for (const Target& t : u.targets) targets[t.metric] = t.value.decimal_string();
    o["targets"] = std::move(targets);
  }
  o["persons"] = c.persons;
  json schemes = json::object();
  for (Scheme s : kSchemes) schemes[scheme_name(s)] = c.schemes[static_cast<std::size_t>(s)];
  o["schemes"] = std::move(schemes);
  json actions = json::object();
  for (int a = 0; a < kActionCount; ++a)
    actions[action_name(static_cast<Action>(a))] = c.actions[static_cast<std::size_t>(a)];
  o["actions"] = std::move(actions);
  json groups = json::object();
  for (int g = 0; g < kGroupCount; ++g) groups[group_id(g)] = c.groups[static_cast<std::size_t>(g)];
  o["groups"] = std::move(groups);
  json statuses = json::object();
  for (std::size_t s = 0; s < c.insurance_status.size(); ++s)
    statuses[builtin.name(BuiltinList::insurance_status, static_cast<int>(s))] =
        c.insurance_status[s];
  o["insurance_status"] = std::move(statuses);
  return o;
}

}  // namespace

namespace detail {

json unit_counts_json(const Policy& policy, const RosterUnitCounts& counts) {
  json units = json::array();
  for (const UnitCounts& c : counts.units) units.push_back(counts_json(policy, c));
  return json{{"persons", counts.persons},
              {"units", std::move(units)},
              {"unlinked", counts_json(policy, counts.unlinked)}};
}

}  // namespace detail

void write_unit_counts_json(std::ostream& out, const Policy& policy, const RosterUnitCounts& counts,
                            int indent) {
  out << detail::unit_counts_json(policy, counts).dump(indent) << "\n";
}

void write_unit_counts_csv(std::ostream& out, const Policy& policy,
                           const RosterUnitCounts& counts) {
  const BuiltinValues& builtin = builtin_of(policy);
  const std::vector<int> targets = target_metrics(policy);
  const int statuses = builtin.count(BuiltinList::insurance_status);
  out << "unit_id,name,level,persons,own_persons";
  for (Scheme s : kSchemes) out << ",scheme_" << scheme_name(s);
  for (int a = 0; a < kActionCount; ++a) out << ",action_" << action_name(static_cast<Action>(a));
  for (int g = 0; g < kGroupCount; ++g) out << ",group_" << group_id(g);
  for (int s = 0; s < statuses; ++s)
    out << ',' << detail::csv_escape("status_" + builtin.name(BuiltinList::insurance_status, s));
  for (int m : targets)
    out << ',' << detail::csv_escape("target_" + policy.metrics[static_cast<std::size_t>(m)].id);
  out << '\n';
  auto row = [&](const UnitCounts& c) {
    const Unit* u = c.unit >= 0 ? &policy.units.units[static_cast<std::size_t>(c.unit)] : nullptr;
    out << (u ? detail::csv_escape(safe(u->id)) : "") << ','
        << (u ? detail::csv_escape(safe(u->name)) : "") << ','
        << (u ? detail::csv_escape(safe(u->level)) : "") << ',' << c.persons << ','
        << (u ? c.own_persons : c.persons);
    for (Scheme s : kSchemes) out << ',' << c.schemes[static_cast<std::size_t>(s)];
    for (std::int64_t n : c.actions) out << ',' << n;
    for (std::int64_t n : c.groups) out << ',' << n;
    for (std::int64_t n : c.insurance_status) out << ',' << n;
    for (int m : targets) {
      const Target* t = u ? u->target(m) : nullptr;
      out << ',' << (t ? t->value.decimal_string() : "");
    }
    out << '\n';
  };
  for (const UnitCounts& c : counts.units) row(c);
  row(counts.unlinked);
}

}  // namespace canbao
