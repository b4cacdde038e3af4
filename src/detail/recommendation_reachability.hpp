// Load-time checks over one decision table of the model: rows that can never
// fire. The recommendation reader runs them on each table it reads.
#pragma once

#include <canbao/recommendation.hpp>

namespace canbao::detail {

// Throws PolicyError at the row's path when a row (or `otherwise`) contradicts
// the table's guard, is covered by an earlier row under first hit, or fires
// for no combination of facts.
void check_reachability(const DecisionTable& table, const FactDeclarations& decl);

}  // namespace canbao::detail
