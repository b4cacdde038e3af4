// A policy: everything one work plan decides, loaded from one JSON document and
// validated on load. A loaded Policy is immutable (held through PolicyPtr =
// shared_ptr<const Policy>) and safe to share across threads: every
// evaluation takes it by const reference and keeps no state in it.
#pragma once

#include <canbao/export.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <canbao/calendar.hpp>
#include <canbao/costs.hpp>
#include <canbao/incentives.hpp>
#include <canbao/metric.hpp>
#include <canbao/milestone.hpp>
#include <canbao/projection_settings.hpp>
#include <canbao/recommendation.hpp>
#include <canbao/scoring.hpp>
#include <canbao/unit.hpp>
#include <canbao/work_fund.hpp>

namespace canbao {

namespace detail {
struct ModelAccess;  // the loader's one way to set computed fields (src/detail/model_access.hpp)
}

// Where a reformed policy came from (reform.hpp): the base it was patched from
// and the patch, so every figure can be traced to the exact rules that made it.
struct Provenance {
  std::string base_fingerprint;  // Policy::fingerprint of the base
  std::string patch_kind;        // "merge_patch" (RFC 7386) or "json_patch" (RFC 6902)
  std::string patch;             // the patch as canonical JSON (sorted keys, no spaces)
};

struct CANBAO_API Policy {
  std::string schema = "canbao.policy/1";
  Campaign campaign;
  std::vector<Metric> metrics;
  UnitTree units;
  std::optional<Completion> completion;
  std::vector<Milestone> milestones;
  std::optional<WorkFund> work_fund;
  std::optional<Scoring> scoring;
  std::optional<RecommendationRules>
      recommendation;                 // decision tables (Recommender evaluates them)
  std::vector<Incentive> incentives;  // money beyond the work fund (incentives.hpp)
  std::optional<Costs> costs;         // grades, subsidies, 代缴, 补缴 (costs.hpp)
  // How projections extend the figures (docs/projections.md); defaults without it.
  std::optional<ProjectionSettings> projection;
  // The author's note to readers: what the seed says that the policy decides
  // (illustrative choices) or still cannot express. Part of the canonical JSON.
  std::string note;
  // Set only on policies made by apply_reform; not part of the canonical JSON
  // (nor of the fingerprint): the same rules have the same fingerprint however made.
  std::optional<Provenance> provenance;

  int metric_index(const std::string& id) const {
    for (std::size_t i = 0; i < metrics.size(); ++i) {
      if (metrics[i].id == id) return static_cast<int>(i);
    }
    return -1;
  }

  // SHA-256 (hex) of the canonical JSON (to_json, sorted keys, no spaces).
  // Computed by the loader; read-only so an edited copy cannot claim a stale one.
  const std::string& fingerprint() const { return fingerprint_; }

 private:
  friend struct detail::ModelAccess;
  std::string fingerprint_;
};

using PolicyPtr = std::shared_ptr<const Policy>;

// Loads and validates a policy. Throws PolicyError naming the JSON path
// (`campaign.phases[3].end: 2023-02-29 is not a date (2023 is not a leap year)`);
// nothing is half-loaded. `source` names the document in JSON syntax errors.
CANBAO_API PolicyPtr load_policy(const std::string& json_text,
                                 const std::string& source = "policy");
// A unit table the file names is read from the file's own folder only: a
// relative name without "..", "." or empty parts, no absolute path, no
// backslash (PolicyError at "units.table" otherwise).
CANBAO_API PolicyPtr load_policy_file(const std::string& path);

// The files a policy names, handed over by the host: the library itself opens
// no file it was not given (load_policy_file opens only the policy's own folder).
// Today one kind: a unit table, `"units": {"table": "units.csv"}`
// (docs/units-table.md), found here by the name the policy writes.
struct PolicyFiles {
  std::map<std::string, std::string> tables;  // name as in the policy -> CSV text
};
CANBAO_API PolicyPtr load_policy(const std::string& json_text, const PolicyFiles& files,
                                 const std::string& source = "policy");

// The same policy for another campaign year (templates: "{year}-09-01").
CANBAO_API PolicyPtr instantiate_for_year(const Policy& policy, int year);

// Canonical JSON of the model: load(to_json(p)) gives an equal model.
CANBAO_API std::string to_json(const Policy& policy, int indent = 2);

}  // namespace canbao
