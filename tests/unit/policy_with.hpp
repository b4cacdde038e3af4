// 004's policy with its facts and recommendation sections replaced: the
// decision-table tests build their policies from it (a whole policy, as the
// loader, the C ABI and the CLI take it).
#pragma once

#include <canbao/error.hpp>
#include <canbao/policy.hpp>

#include <nlohmann/json.hpp>

#include <fstream>
#include <string>

namespace canbao_test {

inline canbao::PolicyPtr policy_with(const nlohmann::json& facts,
                                     const nlohmann::json& recommendation) {
  std::ifstream in(CANBAO_SOURCE_DIR "/examples/policies/004-shiyan-2023.json");
  nlohmann::json doc = nlohmann::json::parse(in);
  doc.erase("facts");
  if (!facts.is_null()) doc["facts"] = facts;
  doc["recommendation"] = recommendation;
  return canbao::load_policy(doc.dump(), "test");
}

// The PolicyError policy_with throws, or "(loaded)".
inline std::string load_error(const nlohmann::json& facts, const nlohmann::json& recommendation) {
  try {
    policy_with(facts, recommendation);
  } catch (const canbao::PolicyError& e) {
    return e.what();
  }
  return "(loaded)";
}

}  // namespace canbao_test
