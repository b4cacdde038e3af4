// Strict reading of policy JSON: every value is read through a path-aware
// reader, every object must be consumed completely (unknown keys are errors:
// silent misconfiguration is the worst failure of rules-as-data systems), and
// every error is a PolicyError naming the JSON path and what was expected.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <canbao/date.hpp>
#include <canbao/error.hpp>
#include <canbao/money.hpp>
#include <canbao/ratio.hpp>

namespace canbao::detail {

using nlohmann::json;

std::string json_type_name(const json& j);
// "campaign" + "phases" -> "campaign.phases"; "phases" + 3 -> "phases[3]".
std::string path_key(const std::string& path, const std::string& key);
std::string path_index(const std::string& path, std::size_t index);

[[noreturn]] void fail_at(const std::string& path, const std::string& message);

// Reads one JSON object. Call done() when finished to reject keys nobody read.
class ObjectReader {
 public:
  ObjectReader(const json& object, std::string path);

  const std::string& path() const { return path_; }
  std::string path_of(const std::string& key) const { return path_key(path_, key); }
  bool has(const std::string& key) const;

  // Raw access (marks the key as read). required() fails when missing.
  const json& required(const std::string& key);
  const json* optional(const std::string& key);

  std::string string(const std::string& key);  // non-empty string
  std::optional<std::string> optional_string(const std::string& key);
  std::int64_t integer(const std::string& key);
  std::int64_t integer(const std::string& key, std::int64_t min, std::int64_t max);
  std::optional<std::int64_t> optional_integer(const std::string& key, std::int64_t min,
                                               std::int64_t max);
  bool boolean(const std::string& key, bool default_value);
  Date date(const std::string& key);                      // literal YYYY-MM-DD
  Fen fen(const std::string& key, std::int64_t min = 0);  // integer fen
  Ratio ratio(const std::string& key);                    // 330, "0.9", "90%"
  const json& array(const std::string& key);              // required array
  const json* optional_array(const std::string& key);
  const json& object(const std::string& key);  // required object
  const json* optional_object(const std::string& key);

  // Rejects any key that was not read: "units[2].tagets: unknown key (expected one of: ...)".
  void done();

 private:
  const json& object_;
  std::string path_;
  std::set<std::string> read_;
  std::set<std::string> asked_;  // every key looked up: the allowed keys
};

// Free-standing readers for values already in hand (array elements).
std::string read_string(const json& j, const std::string& path);
std::int64_t read_integer(const json& j, const std::string& path, std::int64_t min,
                          std::int64_t max);
Ratio read_ratio(const json& j, const std::string& path);
Date read_date(const json& j, const std::string& path);

// Deepest nesting of arrays and objects accepted in any JSON text (policies,
// requests, patches, case files): real documents stay under 10; the limit keeps
// copies, dumps and comparisons (which recurse) far from the stack's end.
inline constexpr int kMaxJsonDepth = 64;

// Parses text into JSON. PolicyError at `source` for: a syntax error (line and
// column, the offending token as a short excerpt), a number out of range, a
// NUL byte, nesting deeper than kMaxJsonDepth; PolicyError at the JSON path
// (`root` + "units[3].targets.x") for a duplicate key. Never lets a nlohmann
// exception escape.
json parse_json_text(const std::string& text, const std::string& source,
                     const std::string& root = "");

// parse_json_text for a policy document, except that the elements of the
// array at the top-level key `key` go to `sink`, event by event, and the DOM
// gets an empty array there (detail/unit_stream.hpp). The sink's exceptions
// pass through.
json parse_json_text_diverting(const std::string& text, const std::string& source,
                               const std::string& key, json::json_sax_t& sink);

}  // namespace canbao::detail
