// call_json: request dispatch and result -> JSON writers. Evaluation code
// never sees JSON; this file only reads requests and writes results.
// Over 600 lines: moving the result writers into the writers layer, so this
// file only parses requests and dispatches, is issue 10 item 3.
#include <canbao/json_api.hpp>

#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>
#include <utility>

#include <nlohmann/json.hpp>

#include <canbao/calendar.hpp>
#include <canbao/compare.hpp>
#include <canbao/detail/message_text.hpp>
#include <canbao/error.hpp>
#include <canbao/evaluation.hpp>
#include <canbao/person.hpp>
#include <canbao/progress.hpp>
#include <canbao/ranking.hpp>
#include <canbao/recommendation.hpp>
#include <canbao/reform.hpp>
#include <canbao/report.hpp>
#include <canbao/resident_id.hpp>
#include <canbao/retirement.hpp>
#include <canbao/roster.hpp>
#include <canbao/version.hpp>

#include "detail/json_reader.hpp"

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

bool read_bool(const json& j, const std::string& path) {
  if (!j.is_boolean())
    throw InputError(path, "expected true or false, got " + detail::json_type_name(j));
  return j.get<bool>();
}

std::string read_text(const json& j, const std::string& path) {
  return as_input([&] { return detail::read_string(j, path); });
}

// A person's facts (person.hpp). sex and birth_date are required unless
// id_number gives them; the other facts default to Person's defaults.
Person read_person(const json& j, const std::string& path) {
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
    const auto s = parse_insurance_status(text);
    if (!s)
      throw InputError(r.path_of("insurance_status"),
                       "unknown status \"" + detail::excerpt(text) +
                           "\" (expected one of: " + insurance_status_names() + ")");
    p.insurance_status = *s;
  }
  if (const json* v = as_input([&] { return r.optional("employment"); })) {
    const std::string text = read_text(*v, r.path_of("employment"));
    const auto e = parse_employment(text);
    if (!e)
      throw InputError(r.path_of("employment"), "unknown employment \"" + detail::excerpt(text) +
                                                    "\" (expected one of: " + employment_names() +
                                                    ")");
    p.employment = *e;
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
      const auto f = parse_person_flag(text);
      if (!f)
        throw InputError(item_path, "unknown flag \"" + detail::excerpt(text) +
                                        "\" (expected one of: " + person_flag_names() + ")");
      p.flags = static_cast<PersonFlags>(p.flags | flag_bit(*f));
    }
  }
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

// ---- result writers -------------------------------------------------------

// "format_version" of the payouts, scores and report answers. 2: payouts[].tier
// counts from 1 (第1档 = 1), as text, CSV, compare and case files do; 1 counted from 0.
constexpr int kResultFormatVersion = 2;

json date_or_null(const std::optional<Date>& d) { return d ? json(d->iso()) : json(nullptr); }
json ratio_or_null(const std::optional<Ratio>& r) {
  return r ? json(r->decimal_string()) : json(nullptr);
}
std::string month_text(YearMonth m) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", m.year, m.month);
  return buf;
}
json years_months(YearsMonths a) { return json{{"years", a.years}, {"months", a.months}}; }

json phase_json(const Phase& p) {
  json j = json::object();
  j["id"] = p.id;
  j["name"] = p.name;
  j["start"] = p.start.date.iso();
  j["end"] = p.end.date.iso();
  if (!p.source.empty()) j["source"] = p.source;
  return j;
}

json recommendation_json(const Recommendation& rec) {
  json actions = json::array();
  for (int a = 0; a < kActionCount; ++a) {
    if (rec.actions & (1u << a)) actions.push_back(action_name(static_cast<Action>(a)));
  }
  json groups = json::array();
  for (int g = 1; g <= kGroupCount; ++g) {
    if (rec.in_group(g)) groups.push_back("g" + std::to_string(g));
  }
  json fired = json::array();
  for (const FiredRow& f : rec.trace) {
    json row = {
        {"path", f.rule->path}, {"reason_zh", f.rule->reason.zh}, {"reason_en", f.rule->reason.en}};
    if (!f.rule->source.empty()) row["source"] = f.rule->source;
    fired.push_back(std::move(row));
  }
  const DerivedFacts& d = rec.facts;
  return json{{"scheme", scheme_name(rec.scheme)},
              {"actions", std::move(actions)},
              {"groups", std::move(groups)},
              {"facts",
               {{"age", d.age},
                {"retirement_date", d.retirement_date.iso()},
                {"years_to_retirement", d.years_to_retirement},
                {"contributable_months", d.contributable_months},
                {"minimum_months", d.minimum_months}}},
              {"fired", std::move(fired)},
              {"reason_zh", rec.reason_zh()},
              {"reason_en", rec.reason_en()}};
}

json work_fund_json(const WorkFundResult& wf, Date as_of) {
  json payouts = json::array();
  for (const WorkFundPayout& p : wf.payouts) {
    payouts.push_back({{"unit_id", p.unit_id},
                       {"completed_on", date_or_null(p.completed_on)},
                       {"status", work_fund_status_name(p.status)},
                       // 1-based like the documents' 第1档 and every other output.
                       {"tier", p.tier < 0 ? json(nullptr) : json(p.tier + 1)},
                       {"deadline", date_or_null(p.deadline)},
                       {"per_person_fen", p.per_person.count()},
                       {"basis", p.basis},
                       {"basis_on", p.basis_on.iso()},
                       {"amount_fen", p.amount.count()}});
  }
  return json{{"as_of", as_of.iso()},
              {"format_version", kResultFormatVersion},
              {"payer", wf.payer},
              {"total_fen", wf.total.count()},
              {"payouts", std::move(payouts)}};
}

json ranking_json(const Ranking& ranking) {
  json units = json::array();
  for (const UnitScore& u : ranking.units) {
    json indicators = json::array();
    for (const IndicatorScore& i : u.indicators) {
      indicators.push_back({{"id", i.indicator_id},
                            {"value", ratio_or_null(i.value)},
                            {"target", i.target.decimal_string()},
                            {"completion", ratio_or_null(i.completion)},
                            {"points", points_string(i.micro_points)},
                            {"micro_points", i.micro_points}});
    }
    json deductions = json::array();
    for (const DeductionScore& d : u.deductions) {
      deductions.push_back({{"id", d.deduction_id},
                            {"count", d.count},
                            {"points", points_string(d.micro_points)},
                            {"micro_points", d.micro_points}});
    }
    json missed = json::array();
    for (const MissedTarget& m : u.missed_targets) {
      missed.push_back({{"metric", m.metric_id},
                        {"value", ratio_or_null(m.value)},
                        {"target", m.target.decimal_string()}});
    }
    units.push_back(
        {{"unit_id", u.unit_id},
         {"rank", u.rank},
         {"points", points_string(u.total_micro_points)},
         {"micro_points", u.total_micro_points},
         {"grade", u.grade.empty() ? json(nullptr) : json(u.grade)},
         {"grade_by_score", u.grade_by_score.empty() ? json(nullptr) : json(u.grade_by_score)},
         {"eligible_for_awards", u.eligible_for_awards},
         {"completed_on", date_or_null(u.completed_on)},
         {"timeliness", u.timeliness < 0 ? json(nullptr) : json(u.timeliness)},
         {"bonus_micro_points", u.bonus_micro_points},
         {"indicators", std::move(indicators)},
         {"deductions", std::move(deductions)},
         {"missed_targets", std::move(missed)}});
  }
  return json{{"as_of", ranking.as_of.iso()},
              {"format_version", kResultFormatVersion},
              {"units", std::move(units)}};
}

json milestones_json(const std::vector<MilestoneResult>& results) {
  json out = json::array();
  for (const MilestoneResult& m : results) {
    json units = json::array();
    for (const MilestoneUnitResult& u : m.units) {
      units.push_back({{"unit_id", u.unit_id},
                       {"status", milestone_status_name(u.status)},
                       {"met_on", date_or_null(u.met_on)},
                       {"reached_on", date_or_null(u.reached_on)}});
    }
    out.push_back({{"id", m.milestone_id}, {"due", m.due.iso()}, {"units", std::move(units)}});
  }
  return out;
}

json completions_json(const std::vector<UnitCompletion>& completions) {
  json out = json::array();
  for (const UnitCompletion& c : completions) {
    out.push_back({{"unit_id", c.unit_id}, {"completed_on", date_or_null(c.completed_on)}});
  }
  return out;
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
  return json(p->fingerprint);
}

json op_phases_on(const Policy* p, Request& r) {
  const Date day = r.date("date");
  r.done();
  json out = json::array();
  for (const Phase* phase : phases_on(p->campaign, day)) out.push_back(phase_json(*phase));
  return out;
}

json op_recommend(const Policy* p, Request& r) {
  const Date as_of = r.date("as_of");
  const Person person = read_person(r.required("person"), r.path_of("person"));
  r.done();
  return recommendation_json(recommend(*p, person, as_of));
}

json op_payouts(const Policy* p, Request& r) {
  const Date as_of = r.date("as_of");
  const Progress progress = read_progress(*p, r);
  r.done();
  return work_fund_json(evaluate_work_fund(progress, as_of, completion_dates(progress, as_of)),
                        as_of);
}

json op_scores(const Policy* p, Request& r) {
  const Date as_of = r.date("as_of");
  const Progress progress = read_progress(*p, r);
  r.done();
  return ranking_json(score_and_rank(progress, as_of, completion_dates(progress, as_of)));
}

// The campaign report (report.hpp) as JSON, documented key by key in
// docs/report.md. The keys op_report always wrote keep their meaning;
// campaign_title, campaign_year and milestones[].units[].value_on_due were
// added later.
json report_json(const CampaignReport& r) {
  json phases = json::array();
  for (const Phase& phase : r.active_phases) phases.push_back(phase_json(phase));
  json next = nullptr;
  if (const auto& d = r.next_reporting_deadline) {
    next = {{"due", d->due.iso()}, {"covers_until", d->covers_until.iso()}};
  }
  std::vector<MilestoneResult> results;
  for (const MilestoneReport& m : r.milestones) results.push_back(m.result);
  json milestones = milestones_json(results);
  for (std::size_t i = 0; i < r.milestones.size(); ++i) {
    for (std::size_t u = 0; u < r.milestones[i].value_on_due.size(); ++u) {
      milestones[i]["units"][u]["value_on_due"] = ratio_or_null(r.milestones[i].value_on_due[u]);
    }
  }
  return json{{"as_of", r.as_of.iso()},
              {"format_version", kResultFormatVersion},
              {"campaign", r.campaign_id},
              {"campaign_title", r.campaign_title},
              {"campaign_year", r.campaign_year},
              {"fingerprint", r.policy_fingerprint},
              {"phases", std::move(phases)},
              {"next_reporting_deadline", std::move(next)},
              {"completions", completions_json(r.completions)},
              {"milestones", std::move(milestones)},
              {"work_fund", r.work_fund ? work_fund_json(*r.work_fund, r.as_of) : json(nullptr)},
              {"scores", r.ranking ? ranking_json(*r.ranking) : json(nullptr)}};
}

// Everything known as of a day: the calendar, completion dates, milestones,
// and the work fund and scores when the policy has them.
json op_report(const Policy* p, Request& r) {
  const Date as_of = r.date("as_of");
  const Progress progress = read_progress(*p, r);
  r.done();
  return report_json(make_report(progress, as_of));
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
  const RetirementSchedule s = original
                                   ? statutory_retirement(sex, birth, static_cast<int>(*original))
                                   : statutory_retirement(sex, birth);
  return json{{"sex", sex_name(s.sex)},
              {"original_age", s.original_age_years},
              {"birth_month", month_text(s.birth_month)},
              {"statutory_age", years_months(s.statutory_age)},
              {"delay_months", s.delay_months},
              {"retirement_month", month_text(s.retirement_month)},
              {"retirement_date", s.retirement_date.iso()},
              {"minimum_contribution_months", s.minimum_contribution_months},
              {"earliest_age", years_months(s.earliest_age)},
              {"earliest_month", month_text(s.earliest_month)},
              {"latest_age", years_months(s.latest_age)},
              {"latest_month", month_text(s.latest_month)}};
}

// The number is never echoed, not even masked: the masked form (first 6 +
// last 4) together with the birth date (digits 7-14) would spell it whole.
// The region code, birth date and sex leave the sequence digits hidden.
json op_parse_id(const Policy*, Request& r) {
  const std::string path = r.path_of("number");
  const std::string number = read_text(r.required("number"), path);
  r.done();
  const ResidentId id = ResidentId::parse(number, path);
  return json{{"region_code", std::string(id.region_code())},
              {"birth_date", id.birth_date().iso()},
              {"sex", sex_name(id.sex())}};
}

// Base (the call's policy) versus a reform given as "reform" (a policy
// document) or "patch" (merge patch object / JSON Patch array), on a roster
// ("roster_csv": its text; the host reads files) and/or progress (as for "report").
// Response: write_comparison_json (docs/reforms.md).
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
    roster = read_roster(in, roster_name.value_or(r.path_of("roster_csv")), as_of, false);
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
  std::ostringstream out;
  write_comparison_json(
      compare(base, reform, roster ? &*roster : nullptr, progress, as_of, options), out, -1);
  return json::parse(out.str());
}

json op_ops(const Policy*, Request& r);

const std::map<std::string, Op>& ops() {
  static const std::map<std::string, Op> table = {
      {"compare", {true, op_compare}}, {"fingerprint", {true, op_fingerprint}},
      {"ops", {false, op_ops}},        {"parse_id", {false, op_parse_id}},
      {"payouts", {true, op_payouts}}, {"phases_on", {true, op_phases_on}},
      {"policy", {true, op_policy}},   {"recommend", {true, op_recommend}},
      {"report", {true, op_report}},   {"retirement", {false, op_retirement}},
      {"scores", {true, op_scores}},   {"version", {false, op_version}},
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
