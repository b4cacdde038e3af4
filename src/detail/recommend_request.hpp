// The fast path of call_json's hot request: {"op":"recommend"} for one person
// in the common shape, read straight from the text (no DOM, no path strings).
// It only ever says "here is the request" or "not for me": anything unusual
// (another op, an escape in a string, a non-ASCII byte, a duplicate key,
// id_number, declared facts given, a value out of range, a fact without a
// default) goes to the general reader (json_api.cpp), which gives the same
// answer or names the error. Facade layer: only call_json uses it.
#pragma once

#include <optional>
#include <string_view>

#include <canbao/date.hpp>
#include <canbao/facts.hpp>
#include <canbao/person.hpp>

namespace canbao::detail {

struct SimpleRecommendRequest {
  Date as_of;
  Person person;
};

// The request when it is a one-person recommend request every field of which
// reads as the general reader reads it; std::nullopt otherwise.
std::optional<SimpleRecommendRequest> read_simple_recommend_request(std::string_view text,
                                                                    const FactDeclarations& facts);

}  // namespace canbao::detail
