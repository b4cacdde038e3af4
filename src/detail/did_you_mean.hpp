// "did you mean": the allowed names closest to a misspelled one, for error
// messages about unknown keys and missing required keys.
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <vector>

namespace canbao::detail {

// Optimal-string-alignment (Damerau–Levenshtein) distance over bytes, or
// `limit` + 1 as soon as it is certainly more than `limit`.
std::size_t edit_distance(const std::string& a, const std::string& b, std::size_t limit);

// Two names that differ only in case, "_" and "-" ("Per-Person" ~ "per_person").
bool same_name_loosely(const std::string& a, const std::string& b);

// The candidates nearest to `name`: same name loosely, else at distance 1,
// else 2 (a distance must also be less than either name's length, so "x" does
// not suggest "id"). Ties are all returned, in order. Empty when none is near.
std::vector<std::string> closest_names(const std::string& name,
                                       const std::set<std::string>& candidates);

// "did you mean \"a\"?" or "did you mean \"a\" or \"b\"?"; empty for none.
std::string did_you_mean(const std::vector<std::string>& names);

}  // namespace canbao::detail
