// The policy's "facts" section (facts.hpp): read strictly at load, written
// back in canonical form; and the tests of declared facts inside a
// recommendation condition (recommendation_json.cpp reads the rest).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include <canbao/facts.hpp>
#include <canbao/recommendation.hpp>

namespace canbao::detail {

// Throws PolicyError naming the JSON path under `path` ("facts[2].values[0].id").
FactDeclarations read_facts(const nlohmann::json& section, const std::string& path);
nlohmann::json write_facts(const FactDeclarations& facts);

// The test of declared fact `fact` written at `path` in a condition
// ("recommendation.tables[0].rows[3].when.prior_contribution_years").
FactTest read_fact_test(const nlohmann::json& j, const std::string& path,
                        const FactDeclarations& facts, int fact);
nlohmann::json write_fact_test(const FactTest& test, const FactDeclarations& facts);

// A default or a value as JSON writes it: true, "cadre", 12, "2023-06-30", ["graduate"].
nlohmann::json write_fact_value(const FactDeclaration& fact, FactValue v);

}  // namespace canbao::detail
