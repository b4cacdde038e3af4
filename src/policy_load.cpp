// Policy JSON loading: the sections in order into a fresh Policy that is
// returned only when everything passed, then its fingerprint; loading from a
// file; and re-reading a policy for another year. See docs/policy-format.md.
#include <canbao/policy.hpp>

#include <fstream>
#include <set>

#include <canbao/error.hpp>

#include "detail/model_access.hpp"
#include "detail/policy_check.hpp"
#include "detail/policy_reader.hpp"
#include "detail/recommendation_json.hpp"
#include "detail/sha256.hpp"
#include "detail/unit_memory.hpp"
#include "detail/unit_places.hpp"
#include "detail/unit_stream.hpp"

namespace canbao {

namespace {

using detail::fail_at;
using detail::in_quotes;
using detail::json;
using detail::ObjectReader;
using detail::path_index;
using detail::path_key;
using detail::policy_schema_id;
using detail::read_campaign;
using detail::read_completion;
using detail::read_metrics;
using detail::read_milestones;
using detail::read_scoring;
using detail::read_units;
using detail::read_work_fund;
using detail::require_targets;

std::shared_ptr<Policy> read_policy(const json& doc, const PolicyFiles& files,
                                    detail::StreamedUnits* streamed = nullptr) {
  auto policy = std::make_shared<Policy>();
  Policy& p = *policy;
  ObjectReader r(doc, "");
  // Each section is guarded (detail/policy_check.hpp): loading, the first
  // error escapes as before; checking, it is recorded and sections that refer
  // to a failed one are skipped (their key only marked as read).
  using detail::guarded;
  auto skip = [&r](const char* key) { return r.optional(key), false; };
  guarded([&] {
    const std::string schema = r.string("schema");
    if (schema != policy_schema_id) {
      fail_at("schema", "expected " + in_quotes(policy_schema_id) + ", got " + in_quotes(schema));
    }
  });
  // "$schema" names the JSON Schema for editors (docs/editor.md): allowed and
  // ignored, so not in the model or the fingerprint.
  guarded([&] { r.optional_string("$schema"); });
  const bool campaign_ok =
      guarded([&] { p.campaign = read_campaign(r.object("campaign"), "campaign"); });
  const bool metrics_ok = guarded([&] { p.metrics = read_metrics(r.array("metrics"), "metrics"); });
  // Inline units, or a unit table the host handed over (docs/units-table.md).
  const bool units_ok = metrics_ok ? guarded([&] {
    if (r.has("units") && r.required("units").is_object()) {
      p.units = detail::read_unit_table(r.required("units"), "units", p, files);
    } else if (streamed && streamed->streamed) {
      r.array("units");  // the DOM's empty array: the units were streamed
      p.units = detail::read_streamed_units(*streamed, "units", p);
    } else {
      p.units = read_units(r.array("units"), "units", p);
    }
  })
                                   : skip("units");
  const bool base_ok = campaign_ok && metrics_ok && units_ok;
  if (base_ok) guarded([&] { detail::check_campaign_units(p); });
  const bool completion_ok = base_ok ? guarded([&] {
    if (const json* c = r.optional_object("completion"))
      p.completion = read_completion(*c, "completion", p);
  })
                                     : skip("completion");
  if (base_ok) {
    guarded([&] {
      if (const json* m = r.optional_array("milestones"))
        p.milestones = read_milestones(*m, "milestones", p);
    });
  } else {
    skip("milestones");
  }
  // The work fund, scoring and incentives ask whether there is a completion section.
  const bool paid_ok = base_ok && completion_ok;
  const bool work_fund_ok = paid_ok ? guarded([&] {
    if (const json* w = r.optional_object("work_fund"))
      p.work_fund = read_work_fund(*w, "work_fund", p);
  })
                                    : skip("work_fund");
  const bool scoring_ok = paid_ok ? guarded([&] {
    if (const json* s = r.optional_object("scoring")) p.scoring = read_scoring(*s, "scoring", p);
  })
                                  : skip("scoring");
  guarded([&] {
    if (const json* pr = r.optional_object("projection"))
      p.projection = detail::read_projection(*pr, "projection");
  });
  if (p.completion && work_fund_ok && scoring_ok)
    guarded([&] {
      // Completion is evaluated for the units that are paid or ranked (all units
      // when neither section is present): those need the targets it compares to.
      // A flag per unit, not a tree set: linear for 700,000 units (issue 15).
      std::vector<char> evaluated(p.units.units.size(), p.work_fund || p.scoring ? 0 : 1);
      if (p.work_fund)
        for (int u : p.work_fund->paid_units.unit_indices())
          evaluated[static_cast<std::size_t>(u)] = 1;
      if (p.scoring)
        for (int u : p.scoring->ranked_units.unit_indices())
          evaluated[static_cast<std::size_t>(u)] = 1;
      std::vector<int> units;
      for (std::size_t i = 0; i < evaluated.size(); ++i)
        if (evaluated[i]) units.push_back(static_cast<int>(i));
      for (std::size_t i = 0; i < p.completion->tasks.size(); ++i) {
        const Condition& c = p.completion->tasks[i];
        if (!c.use_target) continue;
        require_targets(p, c.metric_index(), units,
                        path_key(path_index("completion.tasks", i), "value"),
                        "but completion is evaluated for it");
      }
    });
  // Declared person facts (facts.hpp) are tested only by recommendation tables.
  const bool recommendation_ok = base_ok ? guarded([&] {
    const json* facts = r.optional_array("facts");
    if (const json* rec = r.optional_object("recommendation")) {
      p.recommendation = detail::read_recommendation(*rec, "recommendation", p, facts);
    } else if (facts) {
      detail::fail_at("facts",
                      "declared facts are tested by recommendation tables, and this "
                      "policy has no recommendation section");
    }
  })
                                         : (skip("facts"), skip("recommendation"));
  // Money beyond the work fund (optional; costs price the recommendation's actions).
  if (paid_ok && recommendation_ok) {
    guarded([&] {
      if (const json* i = r.optional_array("incentives"))
        p.incentives = detail::read_incentives(*i, "incentives", p);
    });
  } else {
    skip("incentives");
  }
  if (base_ok && recommendation_ok) {
    guarded([&] {
      if (const json* c = r.optional_object("costs")) p.costs = detail::read_costs(*c, "costs", p);
    });
  } else {
    skip("costs");
  }
  guarded([&] { p.note = r.optional_string("note").value_or(""); });
  guarded([&] { r.done(); });
  // A check that found errors stops here: the half-read policy is not used.
  if (detail::CheckCollector* c = detail::active_check(); c && c->has_errors()) return policy;
  detail::ModelAccess::set_fingerprint(p, detail::policy_fingerprint(p));
  return policy;
}

}  // namespace

PolicyPtr load_policy(const std::string& json_text, const std::string& source) {
  return detail::read_policy_text(json_text, source, nullptr, nullptr);
}

PolicyPtr load_policy(const std::string& json_text, const PolicyFiles& files,
                      const std::string& source) {
  return detail::read_policy_text(json_text, source, &files, nullptr);
}

PolicyPtr load_policy_file(const std::string& path) {
  // The open would silently use only the part before a NUL.
  if (path.find('\0') != std::string::npos)
    throw ArgumentError("path", "the path contains a NUL byte");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw PolicyError(path, "cannot open the policy file");
  // Read whole into one string (a national policy is 90 MB: no second copy
  // through a stream); an unreadable file fails to parse, as before.
  std::string text;
  (void)detail::read_whole_file_huge(in, text);
  return detail::read_policy_text(text, path, nullptr, &path);
}

PolicyPtr instantiate_for_year(const Policy& policy, int year) {
  // Reload the canonical JSON with the year replaced: template dates re-resolve
  // and every rule is validated again for that year (a literal 02-29 may not exist).
  json doc = detail::policy_json(policy);
  doc["campaign"]["year"] = year;
  return read_policy(doc, PolicyFiles{});
}

// The same reading for check_policy_text (policy_check.cpp), under its collector.
namespace detail {
PolicyPtr read_policy_document(const json& doc, const PolicyFiles& files) {
  return read_policy(doc, files);
}
PolicyPtr read_policy_document(const json& doc) { return read_policy(doc, PolicyFiles{}); }

PolicyPtr read_policy_streamed(const std::string& text, const std::string& source,
                               const PolicyFiles* files, const std::string* path) {
  StreamedUnits units;
  const json doc = parse_policy_streaming_units(text, source, units);
  const PolicyFiles beside = path ? policy_files_beside(*path, doc) : PolicyFiles{};
  return read_policy(doc, files ? *files : beside, &units);
}

PolicyPtr read_policy_text(const std::string& text, const std::string& source,
                           const PolicyFiles* files, const std::string* path) {
  // Inline units streamed (unit_stream.hpp); units the stream does not take
  // as they are (a rare shape, any error in them) are read through the DOM.
  try {
    return read_policy_streamed(text, source, files, path);
  } catch (const StreamFallback&) {
  }
  const json doc = parse_json_text(text, source);
  const PolicyFiles beside = path ? policy_files_beside(*path, doc) : PolicyFiles{};
  return read_policy(doc, files ? *files : beside);
}
}  // namespace detail

}  // namespace canbao
