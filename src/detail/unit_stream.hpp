// Inline units read while the policy JSON is parsed, without a DOM of them
// (issue 15: a national policy is 93 MB of JSON, 700,000 units; their DOM was
// most of the time and of the 1.2 GB). Only the common shape is streamed: an
// object with id, name, level, parent, source, targets and bases of whole
// numbers >= 0, and allocate (kept as JSON). Anything else, and any error
// found while reading the units, throws StreamFallback: the caller reads the
// document again through the DOM (unit_tree.cpp read_units), so every message
// is that reader's, byte for byte.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <canbao/policy.hpp>
#include <canbao/unit.hpp>

namespace canbao::detail {

// Not an Error: passes every guarded() and error handler up to the caller
// that asked for streaming.
struct StreamFallback {};

// The units as streamed: targets with their metric named but not resolved
// (the metrics may come later in the document), in the order the DOM reader
// gives (by key), and each unit's "allocate" as JSON.
struct StreamedUnits {
  bool streamed = false;  // the document had a "units" array, read here
  std::vector<Unit> units;
  std::vector<std::pair<std::size_t, nlohmann::json>> allocate;  // unit index, its array
};

// Parses a policy document like parse_json_text(text, source), except that
// the top-level "units" array goes into `out` (the DOM gets an empty array).
// Errors: StreamFallback (never a PolicyError of its own).
nlohmann::json parse_policy_streaming_units(const std::string& text, const std::string& source,
                                            StreamedUnits& out);

// The tree of streamed units, as read_units would read the same array; an
// error it would report throws StreamFallback instead (unit_tree.cpp).
UnitTree read_streamed_units(StreamedUnits& streamed, const std::string& path, const Policy& p);

}  // namespace canbao::detail
