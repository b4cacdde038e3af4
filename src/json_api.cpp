// call_json: reads requests and dispatches them. Evaluation code never sees
// JSON; the answers are the writers layer's JSON values (detail/result_json.hpp),
// the same ones the public write_*_json writers print.
#include <canbao/json_api.hpp>

#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include <canbao/calendar.hpp>
#include <canbao/campaign_cost.hpp>
#include <canbao/compare.hpp>
#include <canbao/detail/message_text.hpp>
#include <canbao/error.hpp>
#include <canbao/evaluation.hpp>
#include <canbao/facts.hpp>
#include <canbao/metric_values.hpp>
#include <canbao/person.hpp>
#include <canbao/policy_check.hpp>
#include <canbao/progress.hpp>
#include <canbao/projection.hpp>
#include <canbao/ranking.hpp>
#include <canbao/recommendation.hpp>
#include <canbao/recommender.hpp>
#include <canbao/reform.hpp>
#include <canbao/report.hpp>
#include <canbao/resident_id.hpp>
#include <canbao/retirement.hpp>
#include <canbao/roster.hpp>
#include <canbao/unit_counts.hpp>
#include <canbao/version.hpp>

#include "detail/campaign_cost_json.hpp"
#include "detail/json_reader.hpp"
#include "detail/result_json.hpp"
#include "detail/unit_counts_json.hpp"

#include "detail/json_request.hpp"

#include "detail/json_call.hpp"
#include "detail/recommend_request.hpp"
#include "detail/recommendation_writer.hpp"

namespace canbao {
namespace {

using nlohmann::json;
using namespace detail::request;

// ---- ops --------------------------------------------------------------------

using OpFn = json (*)(const Policy*, Request&);

struct Op {
  bool needs_policy;
  OpFn run;
};

json op_version(const Policy*, Request& r) {
  r.done();
  return json{{"version", CANBAO_VERSION_STRING}};
}

json op_policy(const Policy* p, Request& r) {
  r.done();
  return json::parse(to_json(*p));
}

json op_fingerprint(const Policy* p, Request& r) {
  r.done();
  return json(p->fingerprint());
}

json op_phases_on(const Policy* p, Request& r) {
  const Date day = r.date("date");
  r.done();
  return detail::to_json_value(phases_on(p->campaign, day));
}

// The hot one-person door (issue 15): answered as text by recommend_text,
// which call_json calls directly; this entry gives the op its place in ops().
std::string recommend_text(const Policy* p, const Recommender* recommender, Request& r) {
  const Date as_of = r.date("as_of");
  const Person person = read_person(r.required("person"), r.path_of("person"), declared_facts(*p));
  r.done();
  std::string out;
  detail::append_recommendation_json(
      recommender ? recommender->recommend(person, as_of) : recommend(*p, person, as_of), out);
  return out;
}

json op_recommend(const Policy* p, Request& r) {
  return json::parse(recommend_text(p, nullptr, r));
}

json op_payouts(const Policy* p, Request& r) {
  const Date as_of = r.date("as_of");
  const Progress progress = read_progress(*p, r);
  r.done();
  return detail::to_json_value(
      evaluate_work_fund(progress, as_of, completion_dates(progress, as_of)), as_of);
}

json op_scores(const Policy* p, Request& r) {
  const Date as_of = r.date("as_of");
  const Progress progress = read_progress(*p, r);
  r.done();
  return detail::to_json_value(score_and_rank(progress, as_of, completion_dates(progress, as_of)));
}

// Everything known as of a day: the calendar, completion dates, milestones,
// and the work fund and scores when the policy has them.
json op_report(const Policy* p, Request& r) {
  const Date as_of = r.date("as_of");
  // Added with projections: overrides the policy's N (canbao report --projection-observations).
  const auto observations = r.optional_integer("projection_observations", 2, 1000);
  const Progress progress = read_progress(*p, r);
  r.done();
  ReportParts parts;
  if (observations) parts.projection_observations = static_cast<int>(*observations);
  return detail::to_json_value(make_report(progress, as_of, parts));
}

// Projections as of a day (docs/projections.md): each unit's figures along
// their trend to every milestone due later, and the projected work-fund bill.
// "observations" (optional) overrides the policy's N.
json op_projections(const Policy* p, Request& r) {
  const Date as_of = r.date("as_of");
  const auto observations = r.optional_integer("observations", 2, 1000);
  const Progress progress = read_progress(*p, r);
  r.done();
  std::optional<int> n;
  if (observations) n = static_cast<int>(*observations);
  return detail::to_json_value(project_campaign(progress, as_of, n));
}

// Any metric of any unit as of a day, with its target and shortfall
// (metric_values.hpp): optional "unit", "metric" and "segment" ids.
json op_values(const Policy* p, Request& r) {
  const Date as_of = r.date("as_of");
  MetricQuery q;
  q.unit = r.optional_string("unit").value_or(std::string());
  q.metric = r.optional_string("metric").value_or(std::string());
  q.segment = r.optional_string("segment").value_or(std::string());
  const Progress progress = read_progress(*p, r);
  r.done();
  try {
    return detail::to_json_value(metric_values(progress, as_of, q));
  } catch (const ArgumentError& e) {
    // An unknown id is the request's: "request.unit: no unit ...".
    throw InputError(r.path_of(e.where()), e.message());
  }
}

// "1975-03-10" or "1975-03": only the birth month matters.
YearMonth read_birth_month(const json& j, const std::string& path) {
  const std::string text = read_text(j, path);
  if (text.size() == 7) {
    std::string reason;
    if (parse_iso_date(text + "-01", &reason)) {
      return YearMonth{std::stoi(text.substr(0, 4)), std::stoi(text.substr(5, 2))};
    }
    throw InputError(path, "expected YYYY-MM or YYYY-MM-DD, got \"" + detail::excerpt(text) + "\"");
  }
  const Date d = as_input([&] { return detail::read_date(j, path); });
  return YearMonth{d.year(), d.month()};
}

json op_retirement(const Policy*, Request& r) {
  const std::string sex_text = r.string("sex");
  Sex sex;
  if (!parse_sex(sex_text, &sex)) {
    throw InputError(r.path_of("sex"),
                     "expected \"male\" or \"female\", got \"" + detail::excerpt(sex_text) + "\"");
  }
  const YearMonth birth = read_birth_month(r.required("birth"), r.path_of("birth"));
  const auto original = r.optional_integer("original_age", 1, 200);
  r.done();
  return detail::to_json_value(original
                                   ? statutory_retirement(sex, birth, static_cast<int>(*original))
                                   : statutory_retirement(sex, birth));
}

// The answer never echoes the number (detail::to_json_value(ResidentId)).
json op_parse_id(const Policy*, Request& r) {
  const std::string path = r.path_of("number");
  const std::string number = read_text(r.required("number"), path);
  r.done();
  return detail::to_json_value(ResidentId::parse(number, path));
}

// Base (the call's policy) versus a reform given as "reform" (a policy
// document) or "patch" (merge patch object / JSON Patch array), on a roster
// ("roster_csv": its text; the host reads files) and/or progress (as for "report").
// Response: the comparison's JSON (write_comparison_json, docs/reforms.md).
json op_compare(const Policy* p, Request& r) {
  const Date as_of = r.date("as_of");
  const json* reform_doc = r.optional("reform");
  const json* patch = r.optional("patch");
  if ((reform_doc != nullptr) == (patch != nullptr))
    throw InputError("request", "give exactly one of reform, patch");
  const auto samples = r.optional_integer("samples", 0, 100000);
  std::optional<Roster> roster;
  reject_file_key(r, "roster_file", "roster_csv (the file's text)");
  const auto roster_name = r.optional_string("roster_csv_name");
  if (const json* csv = r.optional("roster_csv")) {
    std::istringstream in(read_text(*csv, r.path_of("roster_csv")));
    // The base policy's declared facts (a reform declaring others reads them the same way).
    roster = read_roster(in, roster_name.value_or(r.path_of("roster_csv")), as_of, false,
                         declared_facts(*p));
  } else if (roster_name) {
    throw InputError(r.path_of("roster_csv_name"), "only goes with roster_csv");
  }
  ProgressReader progress;
  reject_file_key(r, "progress_file", "progress_csv (the file's text) or progress (records)");
  if (r.optional("progress") || r.optional("progress_csv") || r.optional("progress_csv_name")) {
    // compare() reads the progress against each policy: unit and metric indices are per policy.
    const json request = {
        {"progress", r.optional("progress") ? *r.optional("progress") : json(nullptr)},
        {"progress_csv", r.optional("progress_csv") ? *r.optional("progress_csv") : json(nullptr)},
        {"progress_csv_name",
         r.optional("progress_csv_name") ? *r.optional("progress_csv_name") : json(nullptr)}};
    progress = [request](const PolicyPtr& policy) {
      Request sub(request);
      return read_progress(*policy, sub);
    };
  }
  r.done();
  const PolicyPtr base = std::make_shared<Policy>(*p);
  const PolicyPtr reform = patch != nullptr ? apply_reform(*p, patch->dump())
                                            : load_policy(reform_doc->dump(), "request.reform");
  CompareOptions options;
  if (samples) options.samples = static_cast<std::size_t>(*samples);
  return detail::to_json_value(
      compare(base, reform, roster ? &*roster : nullptr, progress, as_of, options));
}

// Per-unit counts of a roster's recommendations ("roster_csv": its text, with
// a unit_id column), next to each unit's targets (docs/roster.md#counts-by-unit).
json op_unit_counts(const Policy* p, Request& r) {
  const Date as_of = r.date("as_of");
  reject_file_key(r, "roster_file", "roster_csv (the file's text)");
  const std::string text = read_text(r.required("roster_csv"), r.path_of("roster_csv"));
  const std::string name = r.optional_string("roster_csv_name").value_or(r.path_of("roster_csv"));
  r.done();
  if (!p->recommendation)
    throw PolicyError("recommendation", "the policy has no recommendation section");
  const Recommender recommender(borrow(*p));
  std::istringstream in(text);
  const Roster roster = read_roster(in, name, as_of, false, recommender.facts());
  const std::vector<int> units = roster_unit_indices(*p, roster);
  return detail::unit_counts_json(
      *p, count_by_unit(*p, roster, units, recommend_roster(recommender, roster, as_of)));
}

// The campaign's cost (docs/costs.md): progress (as for "report") and/or a
// roster ("roster_csv": its text), both optional; per-unit totals when the
// roster has a unit_id column.
json op_costs(const Policy* p, Request& r) {
  const Date as_of = r.date("as_of");
  std::optional<Progress> progress;
  if (r.optional("progress") || r.optional("progress_csv") || r.optional("progress_csv_name")) {
    if (!p->work_fund && p->incentives.empty())
      throw InputError("request",
                       "progress prices the work fund and incentives, and the policy "
                       "has neither");
    progress = read_progress(*p, r);
  }
  reject_file_key(r, "progress_file", "progress_csv (the file's text) or progress (records)");
  reject_file_key(r, "roster_file", "roster_csv (the file's text)");
  std::optional<Roster> roster;
  std::vector<RosterResult> results;
  std::vector<int> units;
  const auto roster_name = r.optional_string("roster_csv_name");
  if (const json* csv = r.optional("roster_csv")) {
    if (!p->costs)
      throw InputError(r.path_of("roster_csv"), "the policy has no costs section to price it");
    const std::string name = roster_name.value_or(r.path_of("roster_csv"));
    std::istringstream in(read_text(*csv, r.path_of("roster_csv")));
    roster = read_roster(in, name, as_of, false, declared_facts(*p));
    if (p->recommendation) results = recommend_roster(Recommender(borrow(*p)), *roster, as_of);
    // Per-unit totals when the roster links rows to units (unit_counts.hpp).
    if (roster->unit_id_column != 0) units = roster_unit_indices(*p, *roster);
  } else if (roster_name) {
    throw InputError(r.path_of("roster_csv_name"), "only goes with roster_csv");
  }
  r.done();
  if (!progress && !roster)
    throw InputError("request", "give progress (progress or progress_csv), roster_csv or both");
  return detail::to_json_value(
      campaign_cost(*p, progress ? &*progress : nullptr, roster ? &*roster : nullptr, &results,
                    as_of, units.empty() ? nullptr : &units),
      *p);
}

// Checks a policy document for its author (policy_check.hpp): "policy" is the
// document or its text; every error and warning is in the answer, none thrown.
json op_check_policy(const Policy*, Request& r) {
  const json& doc = r.required("policy");
  CheckOptions options;
  options.max_diagnostics =
      static_cast<std::size_t>(r.optional_integer("max_diagnostics", 1, 1000000).value_or(50));
  if (const json* strict = r.optional("strict"))
    options.strict = read_bool(*strict, r.path_of("strict"));
  // A unit table the policy names, handed over as text (docs/units-table.md):
  // the request reads no file.
  PolicyFiles files;
  if (const json* given = r.optional("policy_files")) {
    if (!given->is_object())
      throw InputError(r.path_of("policy_files"), "expected an object of name: CSV text");
    for (auto it = given->begin(); it != given->end(); ++it) {
      if (!it.value().is_string())
        throw InputError(r.path_of("policy_files") + "." + it.key(), "expected CSV text");
      files.tables.emplace(it.key(), it.value().get<std::string>());
    }
  }
  r.done();
  const PolicyCheck c = check_policy_text(doc.is_string() ? doc.get<std::string>() : doc.dump(),
                                          options, "policy", files);
  json diagnostics = json::array();
  for (const auto& d : c.diagnostics) {
    diagnostics.push_back(
        {{"severity", severity_name(d.severity)}, {"path", d.path}, {"message", d.message}});
  }
  return {{"ok", c.ok()},
          {"fingerprint", c.policy ? c.policy->fingerprint() : ""},
          {"errors", c.errors()},
          {"warnings", c.warnings()},
          {"truncated", c.truncated},
          {"diagnostics", std::move(diagnostics)}};
}

json op_ops(const Policy*, Request& r);

const std::map<std::string, Op>& ops() {
  // clang-format off
  static const std::map<std::string, Op> table = {
      {"compare", {true, op_compare}},         {"costs", {true, op_costs}},
      {"fingerprint", {true, op_fingerprint}}, {"ops", {false, op_ops}},
      {"parse_id", {false, op_parse_id}},      {"payouts", {true, op_payouts}},
      {"phases_on", {true, op_phases_on}},     {"policy", {true, op_policy}},
      {"projections", {true, op_projections}}, {"recommend", {true, op_recommend}},
      {"report", {true, op_report}},           {"retirement", {false, op_retirement}},
      {"scores", {true, op_scores}},           {"unit_counts", {true, op_unit_counts}},
      {"version", {false, op_version}},        {"values", {true, op_values}},
      {"check_policy", {false, op_check_policy}},
  };
  // clang-format on
  return table;
}

json op_ops(const Policy*, Request& r) {
  r.done();
  return json(json_ops());
}

std::string op_list() {
  std::string s;
  for (const auto& [name, op] : ops()) s += (s.empty() ? "" : ", ") + name;
  return s;
}

}  // namespace

std::vector<std::string> json_ops() {
  std::vector<std::string> names;
  for (const auto& [name, op] : ops()) names.push_back(name);
  return names;
}

std::string call_json(const Policy& policy, const std::string& request) {
  return call_json(&policy, request);
}

std::string call_json(const Policy* policy, const std::string& request) {
  return detail::call_json(policy, nullptr, request);
}

std::string detail::call_json(const Policy* policy, const Recommender* recommender,
                              const std::string& request) {
  // The common one-person recommend request, read without a DOM; anything
  // else, and any request it cannot answer, takes the general path below.
  if (policy != nullptr && policy->recommendation) {
    if (const auto simple = read_simple_recommend_request(request, declared_facts(*policy))) {
      std::string out;
      try {
        append_recommendation_json(recommender
                                       ? recommender->recommend(simple->person, simple->as_of)
                                       : recommend(*policy, simple->person, simple->as_of),
                                   out);
        return out;
      } catch (...) {  // the general path says what is wrong, where
      }
    }
  }
  const json j = as_input([&] { return detail::parse_json_text(request, "request", "request"); });
  if (!j.is_object()) {
    throw InputError("request", "expected a JSON object, got " + detail::json_type_name(j));
  }
  Request r(j);
  const std::string name = r.string("op");
  const auto it = ops().find(name);
  if (it == ops().end()) {
    throw InputError("request.op", "unknown op \"" + detail::excerpt(name) +
                                       "\" (expected one of: " + op_list() + ")");
  }
  if (it->second.needs_policy && policy == nullptr) {
    throw ArgumentError("policy", "op \"" + detail::excerpt(name) + "\" needs a policy, got none");
  }
  if (it->second.run == op_recommend) return recommend_text(policy, recommender, r);
  return it->second.run(policy, r).dump();
}

}  // namespace canbao
