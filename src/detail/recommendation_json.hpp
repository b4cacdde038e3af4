// The policy loader hands the "recommendation" section to the recommendation
// compiler, and to_json asks it for the section back (canonical form).
#pragma once

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include <canbao/policy.hpp>

namespace canbao::detail {

// Compiles the decision tables once, at load. `policy` holds every section
// read so far (campaign, metrics, units). Throws PolicyError with JSON paths
// under `path` ("recommendation.tables[0].rows[3].when.age").
std::shared_ptr<const RecommendationTables> read_recommendation(const nlohmann::json& section,
                                                                const std::string& path,
                                                                const Policy& policy);

// The section as canonical JSON: read_recommendation(write_recommendation(t)) is equal to t.
nlohmann::json write_recommendation(const RecommendationTables& tables);

}  // namespace canbao::detail
