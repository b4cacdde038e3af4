// The "recommendation" section: decision tables read strictly (unknown keys
// are errors), checked for impossible ranges and contradictory conditions,
// and for rows that can never fire (recommendation_reachability.cpp), into
// RecommendationRules; and the section written back in canonical form.
#include "detail/recommendation_json.hpp"

#include <functional>

#include <canbao/error.hpp>
#include <canbao/recommendation.hpp>

#include "detail/facts_json.hpp"
#include "detail/json_reader.hpp"
#include "detail/recommendation_reachability.hpp"

namespace canbao::detail {

namespace {

constexpr std::int32_t kMinInt = std::numeric_limits<std::int32_t>::min();
constexpr std::int32_t kMaxInt = std::numeric_limits<std::int32_t>::max();

// The values a range field can take: a range outside them matches nobody.
struct Domain {
  const char* key;
  std::int32_t lo, hi;
};
constexpr Domain kAge{"age", 0, 150};
constexpr Domain kGrade{"resident_grade_yuan", 0, 65535};
constexpr Domain kYearsToRetirement{"years_to_retirement", -150, 150};
constexpr Domain kYearsStillNeeded{"contribution_years_still_needed", 0, 30};

IntRange read_range(const json& j, const std::string& path, const Domain& d) {
  const Bounds b = read_bounds(
      j, path, d.lo, d.hi, d.key,
      "values run from " + std::to_string(d.lo) + " to " + std::to_string(d.hi),
      [&](const json& v, const std::string& p) { return read_integer(v, p, d.lo - 1, d.hi + 1); });
  IntRange out;
  if (b.lower) out.min = static_cast<std::int32_t>(b.lo);
  if (b.upper) out.max = static_cast<std::int32_t>(b.hi);
  return out;
}

// A non-empty list of distinct names -> bitmask.
template <typename Parse>
std::uint16_t read_name_set(const json& j, const std::string& path, Parse parse,
                            const std::string& allowed) {
  if (!j.is_array()) fail_at(path, "expected an array of names, got " + json_type_name(j));
  if (j.empty()) fail_at(path, "an empty list matches nobody (omit the key to match everyone)");
  std::uint16_t set = 0;
  for (std::size_t i = 0; i < j.size(); ++i) {
    const std::string p = path_index(path, i);
    const std::string name = read_string(j[i], p);
    const auto bit = parse(name);
    if (!bit) fail_at(p, "unknown value \"" + name + "\" (expected one of: " + allowed + ")");
    if (set & *bit) fail_at(p, "\"" + name + "\" is listed twice");
    set = static_cast<std::uint16_t>(set | *bit);
  }
  return set;
}

// A value of a built-in list, built-in or added by the policy, as its bit.
auto list_bit(const FactDeclarations& facts, BuiltinList l) {
  return [&facts, l](const std::string& s) -> std::optional<std::uint16_t> {
    const int code = facts.builtin.code(l, s);
    if (code < 0) return std::nullopt;
    return static_cast<std::uint16_t>(1u << code);
  };
}
std::optional<std::uint16_t> action_bit_of(const std::string& s) {
  auto v = parse_action(s);
  if (!v) return std::nullopt;
  return static_cast<std::uint16_t>(action_bit(*v));
}
std::optional<std::uint16_t> group_bit_of(const std::string& s) {
  auto v = parse_group(s);
  if (!v) return std::nullopt;
  return static_cast<std::uint16_t>(1u << (*v - 1));
}

bool read_bool(const json& j, const std::string& path) {
  if (!j.is_boolean()) fail_at(path, "expected true or false, got " + json_type_name(j));
  return j.get<bool>();
}

PersonCondition read_condition(const json& j, const std::string& path,
                               const FactDeclarations& facts) {
  ObjectReader r(j, path);
  PersonCondition c;
  if (const json* v = r.optional("sex")) {
    Sex s;
    const std::string name = read_string(*v, r.path_of("sex"));
    if (!parse_sex(name, &s) || (name != "male" && name != "female")) {
      fail_at(r.path_of("sex"), "expected \"male\" or \"female\", got \"" + name + "\"");
    }
    c.sex = s;
  }
  if (const json* v = r.optional("hukou_local"))
    c.hukou_local = read_bool(*v, r.path_of("hukou_local"));
  // Sets over a built-in list (0 when the key is absent: any value).
  auto name_set = [&](const char* key, BuiltinList l) -> std::uint16_t {
    const json* v = r.optional(key);
    if (!v) return 0;
    return read_name_set(*v, r.path_of(key), list_bit(facts, l), facts.builtin.names(l));
  };
  c.insurance_status = name_set("insurance_status", BuiltinList::insurance_status);
  c.employment = name_set("employment", BuiltinList::employment);
  c.flags_any = static_cast<PersonFlags>(name_set("flags_any", BuiltinList::flags));
  c.flags_none = static_cast<PersonFlags>(name_set("flags_none", BuiltinList::flags));
  if (const json* v = r.optional("age")) c.age = read_range(*v, r.path_of("age"), kAge);
  if (const json* v = r.optional("resident_grade_yuan")) {
    c.resident_grade_yuan = read_range(*v, r.path_of("resident_grade_yuan"), kGrade);
  }
  if (const json* v = r.optional("years_to_retirement")) {
    c.years_to_retirement = read_range(*v, r.path_of("years_to_retirement"), kYearsToRetirement);
  }
  if (const json* v = r.optional("contributable_years_ge_minimum")) {
    c.contributable_years_ge_minimum = read_bool(*v, r.path_of("contributable_years_ge_minimum"));
  }
  if (const json* v = r.optional("contribution_years_still_needed")) {
    c.contribution_years_still_needed =
        read_range(*v, r.path_of("contribution_years_still_needed"), kYearsStillNeeded);
  }
  if (const json* v = r.optional("reaches_minimum_by_retirement")) {
    c.reaches_minimum_by_retirement = read_bool(*v, r.path_of("reaches_minimum_by_retirement"));
  }
  // Declared facts are tested under their ids (facts_json.cpp).
  for (std::size_t f = 0; f < facts.size(); ++f) {
    const std::string& id = facts.facts[f].id;
    if (const json* v = r.optional(id))
      c.facts.push_back(read_fact_test(*v, r.path_of(id), facts, static_cast<int>(f)));
  }
  r.done();
  if (c.flags_any && (c.flags_any & ~c.flags_none) == 0) {
    fail_at(path,
            "contradiction: every flag in flags_any is also in flags_none, so no one matches");
  }
  return c;
}

DecisionRow read_row(const json& j, const std::string& path, bool when_required,
                     const FactDeclarations& facts) {
  ObjectReader r(j, path);
  DecisionRow row;
  row.path = path;
  if (when_required) {
    row.when = read_condition(r.object("when"), r.path_of("when"), facts);
  } else if (const json* w = r.optional_object("when")) {
    row.when = read_condition(*w, r.path_of("when"), facts);
  }
  {
    ObjectReader t(r.object("then"), r.path_of("then"));
    if (auto s = t.optional_string("scheme")) {
      auto v = parse_scheme(*s);
      if (!v)
        fail_at(t.path_of("scheme"),
                "expected \"employee\", \"resident\" or \"none\", got \"" + *s + "\"");
      row.then.scheme = *v;
    }
    if (const json* a = t.optional("actions")) {
      row.then.actions = static_cast<ActionSet>(read_name_set(
          *a, t.path_of("actions"), action_bit_of,
          "enroll_employee, enroll_resident, convert_to_employee, back_pay, government_pays, "
          "transfer_in, resume_payment, raise_grade"));
    }
    if (const json* g = t.optional("groups")) {
      row.then.groups =
          static_cast<GroupSet>(read_name_set(*g, t.path_of("groups"), group_bit_of, "g1..g8"));
    }
    t.done();
  }
  {
    ObjectReader why(r.object("reason"), r.path_of("reason"));
    row.reason.zh = why.string("zh");
    row.reason.en = why.string("en");
    why.done();
  }
  row.source = r.optional_string("source").value_or("");
  row.note = r.optional_string("note").value_or("");
  r.done();
  return row;
}

DecisionTable read_table(const json& j, const std::string& path, const FactDeclarations& facts) {
  ObjectReader r(j, path);
  DecisionTable t;
  t.path = path;
  t.id = r.string("id");
  const std::string hit = r.string("hit");
  if (hit == "first") {
    t.hit = HitPolicy::first;
  } else if (hit == "collect") {
    t.hit = HitPolicy::collect;
  } else {
    fail_at(r.path_of("hit"), "expected \"first\" or \"collect\", got \"" + hit + "\"");
  }
  if (const json* w = r.optional_object("when")) t.when = read_condition(*w, r.path_of("when"), facts);
  const json& rows = r.array("rows");
  if (rows.empty()) fail_at(r.path_of("rows"), "a table needs at least one row");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    t.rows.push_back(read_row(rows[i], path_index(r.path_of("rows"), i), true, facts));
  }
  if (const json* o = r.optional_object("otherwise"))
    t.otherwise = read_row(*o, r.path_of("otherwise"), false, facts);
  t.source = r.optional_string("source").value_or("");
  t.note = r.optional_string("note").value_or("");
  r.done();

  // Rows that contradict the guard, are covered by an earlier row, or fire nowhere.
  check_reachability(t, facts);
  return t;
}

json write_range(const IntRange& r) {
  json o = json::object();
  if (r.min != kMinInt) o["ge"] = r.min;
  if (r.max != kMaxInt) o["le"] = r.max;
  return o;
}

template <typename NameOf>
json write_set(unsigned set, int count, NameOf name_of) {
  json a = json::array();
  for (int i = 0; i < count; ++i) {
    if (set & (1u << i)) a.push_back(name_of(i));
  }
  return a;
}

json write_condition(const PersonCondition& c, const FactDeclarations& facts) {
  json o = json::object();
  if (c.sex) o["sex"] = sex_name(*c.sex);
  if (c.hukou_local) o["hukou_local"] = *c.hukou_local;
  auto set = [&](unsigned bits, BuiltinList l) {
    return write_set(bits, facts.builtin.count(l), [&](int i) { return facts.builtin.name(l, i); });
  };
  if (c.insurance_status) o["insurance_status"] = set(c.insurance_status, BuiltinList::insurance_status);
  if (c.employment) o["employment"] = set(c.employment, BuiltinList::employment);
  if (c.flags_any) o["flags_any"] = set(c.flags_any, BuiltinList::flags);
  if (c.flags_none) o["flags_none"] = set(c.flags_none, BuiltinList::flags);
  if (c.age) o["age"] = write_range(*c.age);
  if (c.resident_grade_yuan) o["resident_grade_yuan"] = write_range(*c.resident_grade_yuan);
  if (c.years_to_retirement) o["years_to_retirement"] = write_range(*c.years_to_retirement);
  if (c.contributable_years_ge_minimum)
    o["contributable_years_ge_minimum"] = *c.contributable_years_ge_minimum;
  if (c.contribution_years_still_needed)
    o["contribution_years_still_needed"] = write_range(*c.contribution_years_still_needed);
  if (c.reaches_minimum_by_retirement)
    o["reaches_minimum_by_retirement"] = *c.reaches_minimum_by_retirement;
  for (const FactTest& t : c.facts)
    o[facts.facts[static_cast<std::size_t>(t.fact)].id] = write_fact_test(t, facts);
  return o;
}

json write_row(const DecisionRow& row, bool always_when, const FactDeclarations& facts) {
  json o = json::object();
  json w = write_condition(row.when, facts);
  if (always_when || !w.empty()) o["when"] = std::move(w);
  json then = json::object();
  if (row.then.scheme) then["scheme"] = scheme_name(*row.then.scheme);
  if (row.then.actions) {
    then["actions"] = write_set(row.then.actions, kActionCount,
                                [](int i) { return action_name(static_cast<Action>(i)); });
  }
  if (row.then.groups) {
    then["groups"] =
        write_set(row.then.groups, kGroupCount, [](int i) { return "g" + std::to_string(i + 1); });
  }
  o["then"] = std::move(then);
  o["reason"] = {{"zh", row.reason.zh}, {"en", row.reason.en}};
  if (!row.source.empty()) o["source"] = row.source;
  if (!row.note.empty()) o["note"] = row.note;
  return o;
}

}  // namespace

Bounds read_bounds(const json& j, const std::string& path, std::int64_t lo, std::int64_t hi,
                   const std::string& what, const std::string& domain,
                   const std::function<std::int64_t(const json&, const std::string&)>& value) {
  ObjectReader r(j, path);
  std::optional<std::int64_t> b[5];
  const char* keys[5] = {"lt", "le", "gt", "ge", "eq"};
  for (int k = 0; k < 5; ++k) {
    if (const json* v = r.optional(keys[k])) b[k] = value(*v, r.path_of(keys[k]));
  }
  r.done();
  const auto &lt = b[0], &le = b[1], &gt = b[2], &ge = b[3], &eq = b[4];
  if (!lt && !le && !gt && !ge && !eq)
    fail_at(path, "a range needs at least one of lt, le, gt, ge, eq");
  if (eq && (lt || le || gt || ge)) fail_at(path, "eq cannot be combined with other bounds");
  if (lt && le) fail_at(path, "give one upper bound (lt or le), not both");
  if (gt && ge) fail_at(path, "give one lower bound (gt or ge), not both");
  Bounds out{lo, hi, eq || ge || gt, eq || le || lt};
  if (eq) out.lo = out.hi = *eq;
  if (ge) out.lo = *ge;
  if (gt) out.lo = *gt + 1;
  if (le) out.hi = *le;
  if (lt) out.hi = *lt - 1;
  if (out.lo > out.hi || out.lo > hi || out.hi < lo)
    fail_at(path, "impossible range: no " + what + " satisfies " + j.dump() + " (" + domain + ")");
  return out;
}

RecommendationRules read_recommendation(const json& section, const std::string& path,
                                        const Policy&, const json* facts_section) {
  RecommendationRules rules;
  if (facts_section) rules.facts = read_facts(*facts_section, "facts");
  ObjectReader r(section, path);
  if (const json* ret = r.optional_object("retirement")) {
    ObjectReader rr(*ret, r.path_of("retirement"));
    if (const json* prior = rr.optional_object("prior_contribution_years")) {
      // {"by_fact": "prior_contribution_years"}: whole years already paid,
      // counted by contribution_years_still_needed and reaches_minimum_by_retirement.
      ObjectReader by(*prior, rr.path_of("prior_contribution_years"));
      const std::string id = by.string("by_fact");
      const int fact = rules.facts.index_of(id);
      if (fact < 0 || rules.facts.facts[fact].type != FactType::integer)
        fail_at(by.path_of("by_fact"), "\"" + id + "\" is not a declared integer fact (the facts section)");
      const FactDeclaration& f = rules.facts.facts[fact];
      if (f.min < 0 || f.max > RecommendationRules::kMaxPriorContributionYears) {
        fail_at(by.path_of("by_fact"),
                "\"" + id + "\" runs from " + std::to_string(f.min) + " to " + std::to_string(f.max) +
                    ": years already paid run from 0 to at most " +
                    std::to_string(RecommendationRules::kMaxPriorContributionYears));
      }
      by.done();
      rules.prior_contribution_years_fact = fact;
    }
    const json& age = rr.required("female_original_age");
    const std::string age_path = rr.path_of("female_original_age");
    if (age.is_object()) {
      // 工人 50, 干部 55: {"by_fact": "retirement_category", "ages": {"worker": 50, "cadre": 55}}
      ObjectReader by(age, age_path);
      const std::string id = by.string("by_fact");
      const int fact = rules.facts.index_of(id);
      if (fact < 0 || rules.facts.facts[fact].type != FactType::enumeration) {
        fail_at(by.path_of("by_fact"),
                "\"" + id + "\" is not a declared enumeration fact (the facts section)");
      }
      const FactDeclaration& f = rules.facts.facts[fact];
      RecommendationRules::FemaleAgeByFact out;
      out.fact = fact;
      ObjectReader ages(by.object("ages"), by.path_of("ages"));
      for (const FactValueName& v : f.values) {
        const int a = static_cast<int>(ages.integer(v.id, 50, 55));
        if (a != 50 && a != 55)
          fail_at(ages.path_of(v.id), "must be 50 or 55, got " + std::to_string(a));
        out.age.push_back(static_cast<std::uint8_t>(a));
      }
      ages.done();
      by.done();
      rules.female_original_age_by_fact = std::move(out);
    } else {
      const int female_age = static_cast<int>(read_integer(age, age_path, 50, 55));
      if (female_age != 50 && female_age != 55)
        fail_at(age_path, "must be 50 or 55, got " + std::to_string(female_age));
      rules.female_original_retirement_age = female_age;
    }
    rr.done();
  }
  const json& tables_json = r.array("tables");
  if (tables_json.empty()) fail_at(r.path_of("tables"), "at least one table is required");
  std::vector<DecisionTable> tables;
  std::string scheme_table;  // path of the table that decides the scheme
  for (std::size_t i = 0; i < tables_json.size(); ++i) {
    DecisionTable t = read_table(tables_json[i], path_index(r.path_of("tables"), i), rules.facts);
    for (const DecisionTable& earlier : tables) {
      if (earlier.id == t.id)
        fail_at(path_key(t.path, "id"), "table id \"" + t.id + "\" is used twice");
    }
    // One table decides the scheme, with first-hit rows: the scheme is never
    // the accident of two rows overwriting each other.
    auto check_scheme = [&](const DecisionRow& row) {
      if (!row.then.scheme) return;
      const std::string p = path_key(path_key(row.path, "then"), "scheme");
      if (t.hit != HitPolicy::first)
        fail_at(p, "only a table with \"hit\": \"first\" may decide the scheme");
      if (!scheme_table.empty() && scheme_table != t.path) {
        fail_at(p, "only one table may decide the scheme (" + scheme_table + " does)");
      }
      scheme_table = t.path;
    };
    for (const DecisionRow& row : t.rows) check_scheme(row);
    if (t.otherwise) check_scheme(*t.otherwise);
    tables.push_back(std::move(t));
  }
  r.done();
  rules.tables = std::move(tables);
  return rules;
}

json write_recommendation(const RecommendationRules& rules) {
  json out = json::object();
  if (const auto& by = rules.female_original_age_by_fact) {
    const FactDeclaration& f = rules.facts.facts[static_cast<std::size_t>(by->fact)];
    json ages = json::object();
    for (std::size_t k = 0; k < f.values.size(); ++k) ages[f.values[k].id] = by->age[k];
    out["retirement"] = {{"female_original_age", {{"by_fact", f.id}, {"ages", ages}}}};
  } else {
    out["retirement"] = {{"female_original_age", rules.female_original_retirement_age}};
  }
  if (const auto& prior = rules.prior_contribution_years_fact)
    out["retirement"]["prior_contribution_years"] = {{"by_fact", rules.facts.facts[*prior].id}};
  json arr = json::array();
  for (const DecisionTable& t : rules.tables) {
    json o = json::object();
    o["id"] = t.id;
    o["hit"] = t.hit == HitPolicy::first ? "first" : "collect";
    json w = write_condition(t.when, rules.facts);
    if (!w.empty()) o["when"] = std::move(w);
    json rows = json::array();
    for (const DecisionRow& row : t.rows) rows.push_back(write_row(row, true, rules.facts));
    o["rows"] = std::move(rows);
    if (t.otherwise) o["otherwise"] = write_row(*t.otherwise, false, rules.facts);
    if (!t.source.empty()) o["source"] = t.source;
    if (!t.note.empty()) o["note"] = t.note;
    arr.push_back(std::move(o));
  }
  out["tables"] = std::move(arr);
  return out;
}

}  // namespace canbao::detail
