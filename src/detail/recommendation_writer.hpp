// The JSON answer of {"op":"recommend"} written straight into a string:
// byte for byte what detail::to_json_value(rec).dump() prints (keys in
// nlohmann's sorted order, its string escapes), without building a DOM of a
// dozen maps and vectors first. The one-person door of issue 15 spent 60 % of
// its time there. tests/unit/test_recommendation_writer.cpp compares the two.
#pragma once

#include <string>

#include <canbao/recommendation.hpp>

namespace canbao::detail {

// Appends the answer's JSON (compact, as dump() without indent) to `out`.
void append_recommendation_json(const Recommendation& rec, std::string& out);

}  // namespace canbao::detail
