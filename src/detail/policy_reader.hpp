// What the policy loader's files share (see docs/policy-format.md):
//   policy_read_sections.cpp  campaign, metrics, scopes, conditions, completion,
//                             milestones and the work fund;
//   policy_read_scoring.cpp   the scoring section;
//   unit_tree.cpp             units, their tree, allocations and implied targets;
//   policy_load.cpp           the document: sections in order, then the fingerprint;
//   policy_write.cpp          the canonical writer (round trips, fingerprint).
// Every reader throws PolicyError naming the JSON path of what is wrong. Readers
// after the units take the Policy read so far, to resolve references into it.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <canbao/policy.hpp>

#include "json_reader.hpp"
#include "policy_check.hpp"

namespace canbao::detail {

inline constexpr const char* policy_schema_id = "canbao.policy/1";

inline std::string in_quotes(const std::string& s) { return "\"" + s + "\""; }

// Remembers the first path of each id in a list and rejects repeats.
class UniqueIds {
 public:
  explicit UniqueIds(std::string what) : what_(std::move(what)) {}
  void add(const std::string& id, const std::string& path) {
    auto [it, inserted] = seen_.emplace(id, path);
    if (!inserted)
      fail_at(path, "duplicate " + what_ + " id " + in_quotes(id) + " (also " + it->second + ")");
  }

 private:
  std::string what_;
  std::map<std::string, std::string> seen_;
};

// ---- small shared readers (policy_read_sections.cpp)
DateSpec read_date_spec(const json& j, const std::string& path, int year);
DateSpec read_date_spec(ObjectReader& r, const std::string& key, int year);
std::string optional_text(ObjectReader& r, const std::string& key);
// A reference from one metric to a count metric, resolved to its index.
int count_metric_ref(const std::vector<Metric>& metrics, const std::string& id,
                     const std::string& path);
int metric_ref(const Policy& p, const std::string& id, const std::string& path);
// A target or threshold for a metric: counts are whole numbers >= 0, averages
// >= 0, rates between 0 and 100%.
Ratio read_metric_value(const Metric& m, const json& j, const std::string& path);
void require_targets(const Policy& p, int metric, const std::vector<int>& units,
                     const std::string& path, const std::string& why);
Scope read_scope(const json& j, const std::string& path, const Policy& p);
// Reads metric, op and value (a threshold or "target") from `r`.
Condition read_condition(ObjectReader& r, const Policy& p);

// ---- sections, in the order read_policy reads them
Campaign read_campaign(const json& j, const std::string& path);
// The campaign's references to units (deadlines[].submitted_by), once units are read.
void check_campaign_units(const Policy& p);
std::vector<Metric> read_metrics(const json& arr, const std::string& path);
UnitTree read_units(const json& arr, const std::string& path, const Policy& p);  // unit_tree.cpp
Completion read_completion(const json& j, const std::string& path, const Policy& p);
std::vector<Milestone> read_milestones(const json& arr, const std::string& path, const Policy& p);
WorkFund read_work_fund(const json& j, const std::string& path, const Policy& p);
Scoring read_scoring(const json& j, const std::string& path, const Policy& p);
// Money beyond the work fund (policy_read_money.cpp); costs after the recommendation.
std::vector<Incentive> read_incentives(const json& arr, const std::string& path, const Policy& p);
Costs read_costs(const json& j, const std::string& path, const Policy& p);
ProjectionSettings read_projection(const json& j,
                                   const std::string& path);  // policy_read_projection.cpp

// The whole document, as load_policy reads it (policy_load.cpp); under a
// check (detail/policy_check.hpp) errors are collected instead of thrown.
PolicyPtr read_policy_document(const json& doc);
PolicyPtr read_policy_document(const json& doc, const PolicyFiles& files);
// The document in `text` (named `source` in errors) with `files`, or else the
// files beside `path` (or none): the same policy and the same first error as
// parse_json_text and read_policy_document, its inline units read as it is
// parsed (unit_stream.hpp) when they take the common shape. Loading only:
// under a check, errors found before a fallback would be collected twice.
PolicyPtr read_policy_text(const std::string& text, const std::string& source,
                           const PolicyFiles* files, const std::string* path);
// Its streamed try alone: StreamFallback when the units need the DOM reader
// (a check starts again with a fresh collector, policy_check.cpp).
PolicyPtr read_policy_streamed(const std::string& text, const std::string& source,
                               const PolicyFiles* files, const std::string* path);

PolicyFiles policy_files_beside(const std::string& policy_path, const json& doc);

// The canonical document (policy_write.cpp); to_json dumps it.
json policy_json(const Policy& p);
// The same without the units (an empty "units" array holds their place), and a
// ratio as the canonical document writes it (policy_write.cpp).
json policy_json_without_units(const Policy& p);
json ratio_json(const Ratio& value);
// The canonical JSON (to_json(p, -1)) written in pieces with the units streamed
// from the model, its text, and its SHA-256 (policy_write_stream.cpp).
void write_canonical_policy(const Policy& p, const std::function<void(std::string_view)>& sink);
std::string canonical_policy_text(const Policy& p);
std::string policy_fingerprint(const Policy& p);

}  // namespace canbao::detail
