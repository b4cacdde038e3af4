// Where each unit was written, so an error or warning about it names its place:
// the JSON path `units[12].targets.resident_enrolled` for inline units, or
// `units.csv:14:5` (file:line:column) for a unit table (docs/units-table.md).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <canbao/policy.hpp>
#include <canbao/unit.hpp>

namespace canbao::detail {

struct UnitPlaces {
  std::string path = "units";  // the JSON path of the units (inline) or of the table name
  // A table: its name as the policy gives it, each unit's line, and the column
  // of each header cell ("parent", "target.resident_enrolled", "base.unenrolled").
  std::string table;
  std::vector<std::uint32_t> lines;
  std::map<std::string, std::size_t> columns;

  bool is_table() const { return !table.empty(); }
  // The unit's field: "parent", "targets" (+ metric), "bases" (+ base name).
  std::string at(std::size_t unit, const std::string& field, const std::string& key = "") const;
  // A parent's allocation rule: `units[3].allocate[0]` or `units.allocate.c1[0]`.
  std::string allocation(std::size_t unit, const std::string& unit_id, std::size_t k) const;
  // The unit as a whole, for messages that list units: `units[3]` or `units.csv:5`.
  std::string unit(std::size_t u) const;
};

// A parent's "allocate" array (unit_tree.cpp), inline or beside a table.
std::vector<Allocation> read_allocations(const nlohmann::json& alloc, const std::string& path,
                                         const Policy& p);
// The links, allocations and implied targets of the units read (unit_tree.cpp).
void finish_units(UnitTree& tree, const Policy& p, const UnitPlaces& places);
// `"units": {"table": ...}`: the units from the table the host handed over
// (unit_table.cpp, docs/units-table.md).
UnitTree read_unit_table(const nlohmann::json& spec, const std::string& path, const Policy& p,
                         const PolicyFiles& files);

// The places of a loaded tree (inline units when the tree has none recorded).
const UnitPlaces& unit_places(const UnitTree& tree);

}  // namespace canbao::detail
