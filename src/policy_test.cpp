// Policy test cases on top of call_json: a case is turned into one request
// (recommend, report or phases_on) and its expectations are compared with the
// response. The case file is read strictly (unknown keys are errors) because a
// misspelt expectation that is silently ignored is a test that cannot fail.
#include <canbao/policy_test.hpp>

#include <algorithm>
#include <fstream>
#include <ostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include <canbao/detail/message_text.hpp>
#include <canbao/error.hpp>
#include <canbao/evaluation.hpp>
#include <canbao/json_api.hpp>
#include <canbao/recommendation.hpp>

#include "detail/json_reader.hpp"

namespace canbao {
namespace {

using detail::ObjectReader;
using detail::path_index;
using detail::path_key;
using nlohmann::json;

[[noreturn]] void bad(const std::string& path, const std::string& message) {
  throw PolicyError(path, message);
}

std::string join_dir(const std::string& dir, const std::string& rel) {
  if (dir.empty() || rel.empty() || rel[0] == '/') return rel;
  return dir.back() == '/' ? dir + rel : dir + "/" + rel;
}

std::string dir_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? "" : path.substr(0, slash);
}

// ---- validating the expectations (paths as in the file) --------------------

void need_string_in(const json& v, const std::string& path, const std::vector<std::string>& allowed,
                    bool nullable) {
  if (nullable && v.is_null()) return;
  if (!v.is_string())
    bad(path, "expected a string" + std::string(nullable ? " or null" : "") + ", got " +
                  detail::json_type_name(v));
  const auto s = v.get<std::string>();
  if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), s) == allowed.end()) {
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    bad(path, "unknown value \"" + detail::excerpt(s) + "\" (expected one of: " + list + ")");
  }
}

void need_integer(const json& v, const std::string& path, std::int64_t min, bool nullable) {
  if (nullable && v.is_null()) return;
  detail::read_integer(v, path, min, INT64_MAX);
}

void need_date(const json& v, const std::string& path, bool nullable) {
  if (nullable && v.is_null()) return;
  detail::read_date(v, path);
}

template <class Check>
void need_names(const json& v, const std::string& path, Check valid, const char* what) {
  if (!v.is_array())
    bad(path, std::string("expected an array of ") + what + ", got " + detail::json_type_name(v));
  for (std::size_t i = 0; i < v.size(); ++i) {
    const std::string item = detail::read_string(v[i], path_index(path, i));
    if (!valid(item))
      bad(path_index(path, i),
          std::string("unknown ") + what + " \"" + detail::excerpt(item) + "\"");
  }
}

// {"unit_id": value, ...}: each value checked by `check`.
template <class Check>
void need_map(const json& v, const std::string& path, Check check) {
  if (!v.is_object()) bad(path, "expected an object keyed by id, got " + detail::json_type_name(v));
  if (v.empty()) bad(path, "expected at least one entry (an empty map checks nothing)");
  for (auto it = v.begin(); it != v.end(); ++it) check(it.value(), path_key(path, it.key()));
}

const std::vector<std::string> kSchemes = {"none", "employee", "resident"};
const std::vector<std::string> kFundStatuses = {"tier", "late", "not_complete"};
const std::vector<std::string> kMilestoneStatuses = {"met_on_time", "met_late", "lost",
                                                     "missed",      "reached",  "not_yet_due"};

void validate_person_expect(ObjectReader& e) {
  if (const json* v = e.optional("scheme"))
    need_string_in(*v, e.path_of("scheme"), kSchemes, false);
  if (const json* v = e.optional("actions")) {
    need_names(
        *v, e.path_of("actions"), [](const std::string& s) { return parse_action(s).has_value(); },
        "action");
  }
  if (const json* v = e.optional("groups")) {
    need_names(
        *v, e.path_of("groups"), [](const std::string& s) { return parse_group(s).has_value(); },
        "group (g1..g8)");
  }
  if (const json* v = e.optional("age")) need_integer(*v, e.path_of("age"), 0, false);
}

void validate_progress_expect(ObjectReader& e) {
  if (const json* v = e.optional("payouts")) {
    need_map(*v, e.path_of("payouts"), [](const json& u, const std::string& path) {
      ObjectReader r(u, path);
      if (const json* t = r.optional("tier")) {
        if (!t->is_null() && !(t->is_number_integer() && t->get<std::int64_t>() >= 1)) {
          bad(r.path_of("tier"),
              "expected an integer >= 1 (1 = the first deadline) or null, got " + t->dump());
        }
      }
      if (const json* s = r.optional("status"))
        need_string_in(*s, r.path_of("status"), kFundStatuses, false);
      if (const json* a = r.optional("amount_fen"))
        need_integer(*a, r.path_of("amount_fen"), INT64_MIN, false);
      if (const json* b = r.optional("basis")) need_integer(*b, r.path_of("basis"), 0, false);
      if (const json* d = r.optional("completed_on"))
        need_date(*d, r.path_of("completed_on"), true);
      if (u.empty())
        bad(path, "expected at least one of tier, status, amount_fen, basis, completed_on");
      r.done();
    });
  }
  if (const json* v = e.optional("total_fen"))
    need_integer(*v, e.path_of("total_fen"), INT64_MIN, false);
  if (const json* v = e.optional("completed_on")) {
    need_map(*v, e.path_of("completed_on"),
             [](const json& d, const std::string& path) { need_date(d, path, true); });
  }
  if (const json* v = e.optional("ranks")) {
    need_map(*v, e.path_of("ranks"),
             [](const json& r, const std::string& path) { need_integer(r, path, 1, false); });
  }
  if (const json* v = e.optional("grades")) {
    need_map(*v, e.path_of("grades"),
             [](const json& g, const std::string& path) { need_string_in(g, path, {}, true); });
  }
  if (const json* v = e.optional("points")) {
    need_map(*v, e.path_of("points"), [](const json& p, const std::string& path) {
      if (!p.is_string())
        bad(path,
            "expected the points as a string (\"96.759259\"), got " + detail::json_type_name(p));
    });
  }
  if (const json* v = e.optional("eligible_for_awards")) {
    need_map(*v, e.path_of("eligible_for_awards"), [](const json& b, const std::string& path) {
      if (!b.is_boolean()) bad(path, "expected true or false, got " + detail::json_type_name(b));
    });
  }
  if (const json* v = e.optional("milestones")) {
    need_map(*v, e.path_of("milestones"), [](const json& m, const std::string& path) {
      need_map(m, path, [](const json& s, const std::string& p) {
        need_string_in(s, p, kMilestoneStatuses, false);
      });
    });
  }
}

void validate_calendar_expect(ObjectReader& e) {
  const json& v = e.required("phases");
  if (!v.is_array())
    bad(e.path_of("phases"), "expected an array of phase ids, got " + detail::json_type_name(v));
  for (std::size_t i = 0; i < v.size(); ++i)
    detail::read_string(v[i], path_index(e.path_of("phases"), i));
}

PolicyTestCase read_case(const json& j, const std::string& path, const std::string& base_dir) {
  ObjectReader r(j, path);
  PolicyTestCase c;
  c.path = path;
  c.name = r.string("name");
  r.optional("note");
  r.optional("source");
  const bool person = r.has("person");
  const bool date = r.has("date");
  const int progress = r.has("progress") + r.has("progress_file") + r.has("progress_csv");
  if (person + date + (progress > 0) != 1 || progress > 1) {
    bad(path,
        "give exactly one input: person, date, or one of progress, progress_file, progress_csv");
  }
  json request = json::object();
  if (person) {
    request["op"] = "recommend";
    request["as_of"] = r.date("as_of").iso();
    request["person"] = r.required("person");
  } else if (date) {
    request["op"] = "phases_on";
    request["date"] = r.date("date").iso();
  } else {
    request["op"] = "report";
    request["as_of"] = r.date("as_of").iso();
    if (const json* p = r.optional("progress")) request["progress"] = *p;
    if (r.has("progress_csv")) request["progress_csv"] = r.string("progress_csv");
    if (r.has("progress_file"))
      request["progress_file"] = join_dir(base_dir, r.string("progress_file"));
  }
  const json& expect = r.object("expect");
  if (expect.empty()) bad(r.path_of("expect"), "expected at least one expectation");
  ObjectReader e(expect, r.path_of("expect"));
  if (person) {
    validate_person_expect(e);
  } else if (date) {
    validate_calendar_expect(e);
  } else {
    validate_progress_expect(e);
  }
  e.done();
  r.done();
  c.request = request.dump();
  c.expect = expect.dump();
  return c;
}

// ---- checking a response ---------------------------------------------------

class Checker {
 public:
  void equal(const std::string& path, const json& expected, const json& got) {
    if (expected != got) out.push_back(CaseMismatch{path, expected.dump(), got.dump()});
  }
  void missing(const std::string& path, const json& expected, const std::string& why) {
    out.push_back(CaseMismatch{path, expected.dump(), why});
  }
  std::vector<CaseMismatch> out;
};

// The expect section `key`, or an empty object (never a temporary: callers iterate it).
const json& section(const json& expect, const char* key) {
  static const json empty = json::object();
  const auto it = expect.find(key);
  return it == expect.end() ? empty : *it;
}

json sorted(json a) {
  if (a.is_array()) std::sort(a.begin(), a.end());
  return a;
}

const json* find_by(const json& array, const char* key, const std::string& value) {
  if (!array.is_array()) return nullptr;
  for (const json& x : array) {
    if (x.contains(key) && x[key] == value) return &x;
  }
  return nullptr;
}

void check_person(const json& expect, const json& got, Checker& c) {
  if (expect.contains("scheme")) c.equal("scheme", expect["scheme"], got.at("scheme"));
  // Sets: the order the core lists them in is not part of the promise.
  if (expect.contains("actions"))
    c.equal("actions", sorted(expect["actions"]), sorted(got.at("actions")));
  if (expect.contains("groups"))
    c.equal("groups", sorted(expect["groups"]), sorted(got.at("groups")));
  if (expect.contains("age")) c.equal("age", expect["age"], got.at("facts").at("age"));
}

void check_progress(const json& expect, const json& got, Checker& c) {
  const json& wf = got.at("work_fund");
  if (expect.contains("payouts") || expect.contains("total_fen")) {
    if (wf.is_null()) {
      c.missing("work_fund", expect.contains("payouts") ? expect["payouts"] : expect["total_fen"],
                "the policy has no work_fund");
    } else {
      if (expect.contains("total_fen"))
        c.equal("total_fen", expect["total_fen"], wf.at("total_fen"));
      for (const auto& [unit, e] : section(expect, "payouts").items()) {
        const std::string path = "payouts." + unit;
        const json* p = find_by(wf.at("payouts"), "unit_id", unit);
        if (p == nullptr) {
          c.missing(path, e, "not a paid unit");
          continue;
        }
        // Tiers count from 1 in cases and in call_json (tier 2 = the second deadline).
        if (e.contains("tier")) c.equal(path + ".tier", e["tier"], (*p)["tier"]);
        if (e.contains("status")) c.equal(path + ".status", e["status"], (*p)["status"]);
        if (e.contains("amount_fen"))
          c.equal(path + ".amount_fen", e["amount_fen"], (*p)["amount_fen"]);
        if (e.contains("basis")) c.equal(path + ".basis", e["basis"], (*p)["basis"]);
        if (e.contains("completed_on"))
          c.equal(path + ".completed_on", e["completed_on"], (*p)["completed_on"]);
      }
    }
  }
  for (const auto& [unit, e] : section(expect, "completed_on").items()) {
    const json* u = find_by(got.at("completions"), "unit_id", unit);
    if (u == nullptr) {
      c.missing("completed_on." + unit, e, "no such unit");
    } else {
      c.equal("completed_on." + unit, e, (*u)["completed_on"]);
    }
  }
  const json& scores = got.at("scores");
  const std::pair<const char*, const char*> score_keys[] = {
      {"ranks", "rank"},
      {"grades", "grade"},
      {"points", "points"},
      {"eligible_for_awards", "eligible_for_awards"}};
  for (const auto& [key, field] : score_keys) {
    for (const auto& [unit, e] : section(expect, key).items()) {
      const std::string path = std::string(key) + "." + unit;
      const json* u = scores.is_null() ? nullptr : find_by(scores.at("units"), "unit_id", unit);
      if (u == nullptr) {
        c.missing(path, e, scores.is_null() ? "the policy has no scoring" : "not a ranked unit");
      } else {
        c.equal(path, e, (*u)[field]);
      }
    }
  }
  for (const auto& [mid, units] : section(expect, "milestones").items()) {
    const json* m = find_by(got.at("milestones"), "id", mid);
    for (const auto& [unit, e] : units.items()) {
      const std::string path = "milestones." + mid + "." + unit;
      const json* u = m == nullptr ? nullptr : find_by(m->at("units"), "unit_id", unit);
      if (u == nullptr) {
        c.missing(path, e,
                  m == nullptr ? "no such milestone" : "unit not in the milestone's scope");
      } else {
        c.equal(path, e, (*u)["status"]);
      }
    }
  }
}

void check_calendar(const json& expect, const json& got, Checker& c) {
  json ids = json::array();
  for (const json& p : got) ids.push_back(p.at("id"));
  c.equal("phases", expect.at("phases"), ids);
}

}  // namespace

PolicyCaseFile parse_case_file(const std::string& json_text, const std::string& source,
                               const std::string& base_dir) {
  try {
    const json doc = detail::parse_json_text(json_text, source);
    ObjectReader r(doc, "");
    PolicyCaseFile f;
    f.source = source;
    if (const auto schema = r.optional_string("schema"); schema && *schema != "canbao.cases/1") {
      bad("schema", "expected \"canbao.cases/1\", got \"" + detail::excerpt(*schema) + "\"");
    }
    if (const auto policy = r.optional_string("policy")) f.policy = join_dir(base_dir, *policy);
    f.description = r.optional_string("description").value_or("");
    const json& cases = r.array("cases");
    if (cases.empty()) bad("cases", "expected at least one case");
    std::vector<std::string> names;
    for (std::size_t i = 0; i < cases.size(); ++i) {
      PolicyTestCase c = read_case(cases[i], path_index("cases", i), base_dir);
      if (std::find(names.begin(), names.end(), c.name) != names.end()) {
        bad(path_key(c.path, "name"), "duplicate case name \"" + c.name + "\"");
      }
      names.push_back(c.name);
      f.cases.push_back(std::move(c));
    }
    r.done();
    return f;
  } catch (const PolicyError& e) {
    // A case file is input, not a policy.
    throw InputError(e.where(), e.message());
  }
}

namespace {
std::string read_text_file(const std::string& path, const std::string& where, const char* what) {
  // The OS would open only the part before a NUL.
  if (path.find('\0') != std::string::npos) throw InputError(where, "the path contains a NUL byte");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(where, std::string("cannot open ") + what + " \"" + path + "\"");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}
}  // namespace

// The host handed us this path, so reading it and the progress files it names
// is this function's job; the requests it builds carry the files' text, since
// call_json itself never opens a file.
PolicyCaseFile read_case_file(const std::string& path) {
  const std::string text = read_text_file(path, path, "the case file");
  PolicyCaseFile file;
  try {
    file = parse_case_file(text, path, dir_of(path));
  } catch (const InputError& e) {
    if (e.where() == path) throw;
    throw InputError(path + ": " + e.where(), e.message());
  }
  for (PolicyTestCase& c : file.cases) {
    json request = json::parse(c.request);  // built by read_case: valid, shallow
    const auto it = request.find("progress_file");
    if (it == request.end()) continue;
    const std::string csv_path = it->get<std::string>();
    request.erase(it);
    const std::string where = path + ": " + c.path + ".progress_file";
    std::string csv = read_text_file(csv_path, where, "the progress file");
    if (detail::valid_utf8(csv) != csv) {
      throw InputError(where, "\"" + csv_path + "\" is not UTF-8 text (save the CSV as UTF-8)");
    }
    request["progress_csv"] = std::move(csv);
    request["progress_csv_name"] = csv_path;
    c.request = request.dump();
  }
  return file;
}

std::vector<CaseMismatch> check_expectations(const std::string& op, const std::string& expect_json,
                                             const std::string& response_json) {
  const json expect = detail::parse_json_text(expect_json, "expect");
  const json got = detail::parse_json_text(response_json, "response");
  Checker c;
  if (op == "recommend") {
    check_person(expect, got, c);
  } else if (op == "report") {
    check_progress(expect, got, c);
  } else if (op == "phases_on") {
    check_calendar(expect, got, c);
  } else {
    throw ArgumentError(
        "op", "no expectations for op \"" + op + "\" (expected recommend, report or phases_on)");
  }
  return c.out;
}

CaseResult run_case(const Policy& policy, const PolicyTestCase& c) {
  CaseResult r;
  r.name = c.name;
  r.path = c.path;
  try {
    const std::string op = json::parse(c.request).at("op").get<std::string>();
    r.mismatches = check_expectations(op, c.expect, call_json(policy, c.request));
    r.passed = r.mismatches.empty();
  } catch (const Error& e) {
    // "request.person.sex: ..." -> "cases[2].person.sex: ...": the file's own place.
    std::string where = e.where();
    if (where.rfind("request", 0) == 0) where = c.path + where.substr(7);
    r.error = where.empty() ? e.message() : where + ": " + e.message();
  }
  return r;
}

std::vector<CaseResult> run_cases(const Policy& policy, const PolicyCaseFile& file) {
  std::vector<CaseResult> out;
  out.reserve(file.cases.size());
  for (const PolicyTestCase& c : file.cases) out.push_back(run_case(policy, c));
  return out;
}

void write_case_result(const CaseResult& r, std::ostream& out) {
  out << (r.passed ? "  PASS  " : "  FAIL  ") << r.name << "\n";
  if (!r.error.empty()) out << "        error: " << r.error << "\n";
  for (const CaseMismatch& m : r.mismatches) {
    out << "        " << m.path << ": expected " << m.expected << ", got " << m.got << "\n";
  }
}

}  // namespace canbao
