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

namespace canbao {
namespace {

using nlohmann::json;

// Request fields are input, not policy: the strict reader's PolicyErrors
// become InputErrors with the same path ("request.as_of: ...").
template <class F>
auto as_input(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const PolicyError& e) {
    throw InputError(e.where(), e.message());
  }
}

class Request {
 public:
  explicit Request(const json& j)
      : reader_(as_input([&] { return detail::ObjectReader(j, "request"); })) {}

  std::string path_of(const std::string& key) const { return reader_.path_of(key); }
  std::string string(const std::string& key) {
    return as_input([&] { return reader_.string(key); });
  }
  std::optional<std::string> optional_string(const std::string& key) {
    return as_input([&] { return reader_.optional_string(key); });
  }
  Date date(const std::string& key) {
    const Date d = as_input([&] { return reader_.date(key); });
    // Every evaluation (retirement, the batch's day offsets) is defined on
    // this range only; a later day is the caller's input error, said plainly.
    if (!is_supported_date(d)) throw InputError(path_of(key), unsupported_date_message(d));
    return d;
  }
  std::optional<std::int64_t> optional_integer(const std::string& key, std::int64_t min,
                                               std::int64_t max) {
    return as_input([&] { return reader_.optional_integer(key, min, max); });
  }
  const json& required(const std::string& key) {
    return as_input([&]() -> const json& { return reader_.required(key); });
  }
  const json* optional(const std::string& key) {
    return as_input([&] { return reader_.optional(key); });
  }
  void done() {
    as_input([&] {
      reader_.done();
      return 0;
    });
  }

 private:
  detail::ObjectReader reader_;
};

// ---- request parts ---------------------------------------------------------

// The facts a policy declares (none without a recommendation section).
const FactDeclarations& declared_facts(const Policy& p) {
  static const FactDeclarations none;
  return p.recommendation ? p.recommendation->facts : none;
}

bool read_bool(const json& j, const std::string& path) {
  if (!j.is_boolean())
    throw InputError(path, "expected true or false, got " + detail::json_type_name(j));
  return j.get<bool>();
}

std::string read_text(const json& j, const std::string& path) {
  return as_input([&] { return detail::read_string(j, path); });
}

// The policy's declared facts ("facts": {"veteran": true, ...}) in their
// natural JSON types, as the policy writes defaults: true, 12, "cadre",
// "2023-06-30", ["graduate"]. A fact left out takes its default; one
// without a default is required.
void read_declared_facts(const json* j, const std::string& path, const FactDeclarations& facts,
                         Person& p) {
  if (j != nullptr && !j->is_object())
    throw InputError(path, "expected an object of declared facts, got " + detail::json_type_name(*j));
  if (j != nullptr) {
    for (const auto& item : j->items()) {
      // Not a structured binding: C++17 lambdas cannot capture one (clang refuses).
      const std::string& id = item.key();
      const json& v = item.value();
      const std::string at = path + "." + detail::excerpt(id);
      const int k = facts.index_of(id);
      if (k < 0) throw InputError(at, "the policy declares no such fact");
      const FactDeclaration& f = facts.facts[static_cast<std::size_t>(k)];
      std::string text, why;
      if (f.type == FactType::boolean) {
        p.facts[id] = read_bool(v, at) ? 1 : 0;
        continue;
      }
      if (f.type == FactType::integer) {
        p.facts[id] = static_cast<FactValue>(as_input([&] { return detail::read_integer(v, at, f.min, f.max); }));
        continue;
      }
      if (f.type == FactType::flags) {
        if (!v.is_array())
          throw InputError(at, "expected an array of flag ids, got " + detail::json_type_name(v));
        for (std::size_t i = 0; i < v.size(); ++i)
          text += (i ? ";" : "") + read_text(v[i], detail::path_index(at, i));
      } else {
        text = read_text(v, at);  // an enumeration value's id, a date
      }
      const auto value = f.parse(text, &why);
      if (!value) throw InputError(at, detail::mask_id_numbers(why));
      p.facts[id] = *value;
    }
  }
  for (const FactDeclaration& f : facts.facts) {
    if (!f.default_value && p.facts.find(f.id) == p.facts.end())
      throw InputError(path + "." + f.id, "required key is missing (the fact has no default; expected " +
                                              f.expected() + ")");
  }
}

// A person's facts (person.hpp). sex and birth_date are required unless
// id_number gives them; the other facts default to Person's defaults, the
// declared ones (`facts`, the policy's) to their declared defaults.
// A value of a built-in list (built-in or added by the policy) as its code.
int builtin_code(const std::string& text, const std::string& path, const BuiltinValues& builtin,
                 BuiltinList l) {
  const int v = builtin.code(l, text);
  if (v < 0) {
    throw InputError(path, std::string("unknown ") + builtin_list_name(l) + " \"" + detail::excerpt(text) +
                               "\" (expected one of: " + builtin.names(l) + ")");
  }
  return v;
}

Person read_person(const json& j, const std::string& path, const FactDeclarations& facts) {
  Person p;
  detail::ObjectReader r = as_input([&] { return detail::ObjectReader(j, path); });
  const json* id = as_input([&] { return r.optional("id_number"); });
  std::optional<Sex> id_sex;
  std::optional<Date> id_birth;
  if (id != nullptr) {
    const std::string id_path = r.path_of("id_number");
    const ResidentId rid = ResidentId::parse(read_text(*id, id_path), id_path);
    id_sex = rid.sex();
    id_birth = rid.birth_date();
  }
  if (const json* sex = as_input([&] { return r.optional("sex"); })) {
    const std::string sex_path = r.path_of("sex");
    const std::string text = read_text(*sex, sex_path);
    if (!parse_sex(text, &p.sex))
      throw InputError(sex_path,
                       "expected \"male\" or \"female\", got \"" + detail::excerpt(text) + "\"");
    if (id_sex && *id_sex != p.sex) throw InputError(sex_path, "disagrees with id_number");
  } else if (id_sex) {
    p.sex = *id_sex;
  } else {
    throw InputError(r.path_of("sex"), "required key is missing (or give id_number)");
  }
  if (r.has("birth_date")) {
    p.birth_date = as_input([&] { return r.date("birth_date"); });
    if (id_birth && *id_birth != p.birth_date)
      throw InputError(r.path_of("birth_date"), "disagrees with id_number");
  } else if (id_birth) {
    p.birth_date = *id_birth;
  } else {
    throw InputError(r.path_of("birth_date"), "required key is missing (or give id_number)");
  }
  if (const json* v = as_input([&] { return r.optional("hukou_local"); })) {
    p.hukou_local = read_bool(*v, r.path_of("hukou_local"));
  }
  if (const json* v = as_input([&] { return r.optional("insurance_status"); })) {
    const std::string text = read_text(*v, r.path_of("insurance_status"));
    p.insurance_status = static_cast<InsuranceStatus>(
        builtin_code(text, r.path_of("insurance_status"), facts.builtin, BuiltinList::insurance_status));
  }
  if (const json* v = as_input([&] { return r.optional("employment"); })) {
    const std::string text = read_text(*v, r.path_of("employment"));
    p.employment = static_cast<Employment>(
        builtin_code(text, r.path_of("employment"), facts.builtin, BuiltinList::employment));
  }
  if (auto g = as_input([&] { return r.optional_integer("resident_grade_yuan", 0, 65535); })) {
    p.resident_grade_yuan = static_cast<std::uint16_t>(*g);
  }
  if (const json* v = as_input([&] { return r.optional("flags"); })) {
    const std::string flags_path = r.path_of("flags");
    if (!v->is_array())
      throw InputError(flags_path,
                       "expected an array of flag names, got " + detail::json_type_name(*v));
    for (std::size_t i = 0; i < v->size(); ++i) {
      const std::string item_path = detail::path_index(flags_path, i);
      const std::string text = read_text((*v)[i], item_path);
      p.flags = static_cast<PersonFlags>(
          p.flags | (1u << builtin_code(text, item_path, facts.builtin, BuiltinList::flags)));
    }
  }
  read_declared_facts(as_input([&] { return r.optional("facts"); }), r.path_of("facts"), facts, p);
  as_input([&] {
    r.done();
    return 0;
  });
  return p;
}

// A non-owning PolicyPtr for the length of one call: Progress keeps a
// PolicyPtr, and call_json's caller owns the policy.
PolicyPtr borrow(const Policy& policy) { return PolicyPtr(PolicyPtr(), &policy); }

// The embeddable surface reads no files (the host does: CLI, Python
// helpers), so a request cannot make the library open a path it names.
void reject_file_key(Request& r, const std::string& key, const std::string& instead) {
  if (r.optional(key) != nullptr) {
    throw InputError(r.path_of(key),
                     "requests carry data, not file names: files are read by the "
                     "host (the canbao command, the Python helpers); give " +
                         instead + " instead");
  }
}

// Progress from exactly one of "progress" (records) or "progress_csv" (CSV
// text, named "progress_csv_name" in messages when given: the host's file name).
Progress read_progress(const Policy& policy, Request& r) {
  reject_file_key(r, "progress_file", "progress_csv (the file's text) or progress (records)");
  const json* records = r.optional("progress");
  const json* csv = r.optional("progress_csv");
  const auto csv_name = r.optional_string("progress_csv_name");
  const int given = (records != nullptr) + (csv != nullptr);
  if (given != 1) {
    throw InputError("request", "give exactly one of progress, progress_csv (got " +
                                    std::to_string(given) + ")");
  }
  if (csv != nullptr) {
    std::istringstream in(read_text(*csv, r.path_of("progress_csv")));
    return read_progress_csv(borrow(policy), in, csv_name.value_or(r.path_of("progress_csv")));
  }
  if (csv_name) throw InputError(r.path_of("progress_csv_name"), "only goes with progress_csv");
  const std::string path = r.path_of("progress");
  if (!records->is_array())
    throw InputError(path,
                     "expected an array of observations, got " + detail::json_type_name(*records));
  std::vector<Observation> observations;
  observations.reserve(records->size());
  for (std::size_t i = 0; i < records->size(); ++i) {
    observations.push_back(as_input([&] {
      detail::ObjectReader o((*records)[i], detail::path_index(path, i));
      Observation ob;
      ob.unit_id = o.string("unit_id");
      ob.metric = o.string("metric");
      ob.date = o.date("date");
      ob.value = o.integer("value");
      ob.segment = o.optional_string("segment").value_or(std::string());  // campaign.segments
      if (o.optional("submitted")) ob.submitted = o.date("submitted");    // late_reports.hpp
      o.done();
      return ob;
    }));
  }
  try {
    return Progress::from_records(borrow(policy), observations);
  } catch (const InputError& e) {
    // "records[3]" -> "request.progress[3]": the caller's own name for it.
    std::string where = e.where();
    if (where.rfind("records", 0) == 0) where = path + where.substr(7);
    throw InputError(where, e.message());
  }
}

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

json op_recommend(const Policy* p, Request& r) {
  const Date as_of = r.date("as_of");
  const Person person = read_person(r.required("person"), r.path_of("person"), declared_facts(*p));
  r.done();
  return detail::to_json_value(recommend(*p, person, as_of));
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

json op_ops(const Policy*, Request& r);

const std::map<std::string, Op>& ops() {
  static const std::map<std::string, Op> table = {
      {"compare", {true, op_compare}},
      {"costs", {true, op_costs}},
      {"fingerprint", {true, op_fingerprint}},
      {"ops", {false, op_ops}},
      {"parse_id", {false, op_parse_id}},
      {"payouts", {true, op_payouts}},
      {"phases_on", {true, op_phases_on}},
      {"policy", {true, op_policy}},
      {"projections", {true, op_projections}},
      {"recommend", {true, op_recommend}},
      {"report", {true, op_report}},
      {"retirement", {false, op_retirement}},
      {"scores", {true, op_scores}},
      {"unit_counts", {true, op_unit_counts}},
      {"version", {false, op_version}},
      {"values", {true, op_values}},
  };
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
  return it->second.run(policy, r).dump();
}

}  // namespace canbao
