// Internal: the JSON value of per-unit roster counts (unit_counts.hpp), shared
// by write_unit_counts_json and call_json's "unit_counts" op.
#pragma once

#include <nlohmann/json.hpp>

#include <canbao/policy.hpp>
#include <canbao/unit_counts.hpp>

namespace canbao::detail {

nlohmann::json unit_counts_json(const Policy& policy, const RosterUnitCounts& counts);

}  // namespace canbao::detail
