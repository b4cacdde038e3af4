// The one-person recommend door of call_json (issue 15): the answer written
// as text (detail/recommendation_writer.hpp) must be byte for byte the
// nlohmann DOM's dump() it replaced, and the fast request reader
// (detail/recommend_request.hpp) may only take a request the general reader
// reads to the same person and date. Both compared on many generated inputs.
#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <canbao/json_api.hpp>
#include <canbao/policy.hpp>
#include <canbao/recommendation.hpp>
#include <canbao/recommender.hpp>

#include "detail/json_request.hpp"
#include "detail/recommend_request.hpp"
#include "detail/recommendation_writer.hpp"
#include "detail/result_json.hpp"

namespace {

using namespace canbao;
using nlohmann::json;

std::string example_text(const std::string& name) {
  std::ifstream in(std::string(CANBAO_SOURCE_DIR) + "/examples/policies/" + name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string written(const Recommendation& r) {
  std::string out;
  detail::append_recommendation_json(r, out);
  return out;
}

// 004 with reason texts and citations that need every escape dump() makes:
// quotes, backslash, the short control escapes, \u0001, 0x7F, and UTF-8.
PolicyPtr escaping_policy() {
  json doc = json::parse(example_text("004-shiyan-2023.json"));
  for (json& table : doc["recommendation"]["tables"]) {
    for (json& row : table["rows"]) {
      row["reason"]["en"] = "say \"why\"\\ \b\f\n\r\t \x01 \x1f \x7f end";
      row["reason"]["zh"] =
          std::string("原因：\"引号\"\t") + row["reason"]["zh"].get<std::string>();
      row["source"] = "004 三(二)1 \\ \"x\"";
    }
  }
  return load_policy(doc.dump());
}

std::vector<Person> random_persons(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  const std::int32_t lo = Date::from_ymd(1935, 1, 1)->day_number();
  const std::int32_t hi = Date::from_ymd(2023, 6, 30)->day_number();
  std::vector<Person> out;
  for (std::size_t i = 0; i < n; ++i) {
    Person p;
    p.sex = rng() & 1 ? Sex::female : Sex::male;
    p.birth_date = Date::from_day_number(lo + static_cast<std::int32_t>(rng() % (hi - lo)));
    p.hukou_local = rng() % 4 != 0;
    p.insurance_status = static_cast<InsuranceStatus>(rng() % kInsuranceStatusCount);
    p.employment = static_cast<Employment>(rng() % kEmploymentCount);
    p.resident_grade_yuan = rng() % 3 == 0 ? static_cast<std::uint16_t>(100 * (rng() % 30)) : 0;
    p.flags = static_cast<PersonFlags>(rng() % 8 == 0 ? 1u << (rng() % kPersonFlagCount) : 0);
    out.push_back(p);
  }
  return out;
}

TEST(RecommendationWriter, PrintsTheBytesOfTheDomItReplaced) {
  const Date as_of = *Date::from_ymd(2023, 6, 30);
  std::vector<PolicyPtr> policies = {load_policy(example_text("004-shiyan-2023.json")),
                                     load_policy(example_text("004-shiyan-2023-retirement.json")),
                                     escaping_policy()};
  int with_trace = 0, with_source = 0;
  for (const PolicyPtr& policy : policies) {
    const Recommender recommender(policy);
    for (const Person& p : random_persons(2000, 7)) {
      const Recommendation r = recommender.recommend(p, as_of);
      ASSERT_EQ(written(r), detail::to_json_value(r).dump()) << p.birth_date.iso();
      with_trace += !r.trace.empty();
      for (const FiredRow& f : r.trace) with_source += !f.rule->source.empty();
    }
  }
  // The comparison saw fired rows with and without citations (not only empty answers).
  EXPECT_GT(with_trace, 5000);
  EXPECT_GT(with_source, 2000);
  // One answer worked by hand: 004 二(三)(四), 三(三) (table 0, row 13): a
  // platform worker without insurance and under 60 (born 1990-05-01: 33 on
  // 2023-06-30) enrolls in the employee scheme; a platform worker: group g3.
  Person p;
  p.sex = Sex::male;
  p.birth_date = *Date::from_ymd(1990, 5, 1);
  p.hukou_local = true;
  p.employment = Employment::platform_worker;
  const std::string text = written(Recommender(policies[0]).recommend(p, as_of));
  EXPECT_EQ(text.rfind("{\"actions\":[\"enroll_employee\"],\"facts\":{\"age\":33,", 0), 0u) << text;
  EXPECT_NE(text.find("\"groups\":[\"g3\"]"), std::string::npos) << text;
  EXPECT_EQ(text.substr(text.size() - 21), ",\"scheme\":\"employee\"}");
}

// The general reader's answer for a request text: the person and date, or "" (an error).
struct General {
  bool ok = false;
  Date as_of;
  Person person;
};
General general_read(const std::string& text, const FactDeclarations& facts) {
  using namespace detail::request;
  General g;
  try {
    const json j = as_input([&] { return detail::parse_json_text(text, "request", "request"); });
    if (!j.is_object()) return g;
    Request r(j);
    if (r.string("op") != "recommend") return g;
    g.as_of = r.date("as_of");
    g.person = read_person(r.required("person"), r.path_of("person"), facts);
    r.done();
    g.ok = true;
  } catch (const Error&) {
    g.ok = false;
  }
  return g;
}

// A request text with random members, order, spacing and values, good and bad.
std::string random_request(std::mt19937_64& rng) {
  // The first choice (a good value) half the time, else any: many requests
  // are wholly good, many have one bad or unusual part.
  auto pick = [&](std::initializer_list<const char*> v) {
    return std::string(*(v.begin() + (rng() % 2 ? 0 : rng() % v.size())));
  };
  auto space = [&] { return pick({"", "", "", " ", "\n  ", "\t"}); };
  std::vector<std::string> person;
  if (rng() % 20)
    person.push_back(
        "\"sex\":" + space() +
        pick({"\"male\"", "\"female\"", "\"女\"", "\"m\"", "\"Male\"", "1", "\"fe\\u006dale\""}));
  if (rng() % 20)
    person.push_back("\"birth_date\":" +
                     pick({"\"1990-05-01\"", "\"1975-03-10\"", "\"2023-02-29\"", "\"1899-12-31\"",
                           "\"2030-01-01\"", "\"1990-5-1\"", "\"1966-02-28\"", "19900501"}));
  if (rng() % 2)
    person.push_back("\"hukou_local\":" + pick({"true", "false", "1", "\"true\"", "null"}));
  if (rng() % 2)
    person.push_back("\"insurance_status\":" +
                     pick({"\"none\"", "\"resident_paying\"", "\"employee_suspended\"",
                           "\"receiving_pension\"", "\"bogus\"", "\"None\""}));
  if (rng() % 2)
    person.push_back("\"employment\":" + pick({"\"platform_worker\"", "\"farmer\"", "\"other\"",
                                               "\"employer\"", "\"astronaut\"", "7"}));
  if (rng() % 3 == 0)
    person.push_back("\"resident_grade_yuan\":" + pick({"0", "200", "3000", "65535", "65536", "-1",
                                                        "0200", "200.0", "2e2", "\"200\""}));
  if (rng() % 3 == 0)
    person.push_back("\"flags\":" +
                     pick({"[]", "[\"dibao\"]", "[\"tekun\", \"village_cadre\"]",
                           "[\"dibao\",\"dibao\"]", "[\"nope\"]", "\"dibao\"", "[1]"}));
  if (rng() % 15 == 0) person.push_back("\"nickname\":\"x\"");
  if (rng() % 15 == 0) person.push_back("\"facts\":{}");
  if (rng() % 15 == 0) person.push_back(person.empty() ? "\"sex\":\"male\"" : person[0]);  // twice
  std::shuffle(person.begin(), person.end(), rng);
  std::string p = "{";
  for (std::size_t i = 0; i < person.size(); ++i) p += (i ? "," + space() : space()) + person[i];
  p += space() + "}";
  std::vector<std::string> top;
  if (rng() % 20)
    top.push_back("\"op\":" +
                  pick({"\"recommend\"", "\"recommend\"", "\"phases_on\"", "\"Recommend\""}));
  if (rng() % 20)
    top.push_back("\"as_of\":" + pick({"\"2023-06-30\"", "\"2021-12-31\"", "\"2023-13-01\"",
                                       "\"2201-01-01\"", "\"1969-12-31\""}));
  if (rng() % 20) top.push_back("\"person\":" + space() + p);
  if (rng() % 15 == 0) top.push_back("\"extra\":1");
  if (rng() % 20 == 0) top.push_back("\"op\":\"recommend\"");
  std::shuffle(top.begin(), top.end(), rng);
  std::string out = space() + "{";
  for (std::size_t i = 0; i < top.size(); ++i) out += (i ? "," : "") + space() + top[i];
  out += "}" + space() + pick({"", "", "", "", "x", "{}", ","});
  return out;
}

TEST(RecommendRequest, TakesOnlyWhatTheGeneralReaderReadsTheSame) {
  const PolicyPtr policy = load_policy(example_text("004-shiyan-2023.json"));
  const FactDeclarations& facts = policy->recommendation->facts;
  std::mt19937_64 rng(15);
  int taken = 0, declined_good = 0, bad = 0;
  for (int i = 0; i < 20000; ++i) {
    const std::string text = random_request(rng);
    const auto fast = detail::read_simple_recommend_request(text, facts);
    const General g = general_read(text, facts);
    if (!g.ok) {
      ++bad;
      ASSERT_FALSE(fast) << "the fast reader took a request the general reader refuses: " << text;
      continue;
    }
    if (!fast) {
      ++declined_good;  // allowed (e.g. "女"): the general path answers it
      continue;
    }
    ++taken;
    EXPECT_EQ(fast->as_of, g.as_of) << text;
    const Person& a = fast->person;
    const Person& b = g.person;
    ASSERT_TRUE(a.sex == b.sex && a.birth_date == b.birth_date && a.hukou_local == b.hukou_local &&
                a.insurance_status == b.insurance_status && a.employment == b.employment &&
                a.resident_grade_yuan == b.resident_grade_yuan && a.flags == b.flags &&
                a.facts == b.facts)
        << text;
  }
  // Both kinds were generated in numbers, so the test can fail either way.
  EXPECT_GT(taken, 300) << bad << " bad, " << declined_good << " declined";
  EXPECT_GT(bad, 5000);
  EXPECT_GT(declined_good, 50);
}

// call_json answers the same bytes through the fast path and the general
// one (a request the fast reader declines only for its spacing style: an
// escaped letter in a string).
TEST(RecommendRequest, CallJsonAnswersAlikeOnBothPaths) {
  const PolicyPtr policy = load_policy(example_text("004-shiyan-2023.json"));
  const std::string fast =
      R"({"op":"recommend","as_of":"2023-06-30","person":{"sex":"male","birth_date":"1990-05-01","hukou_local":true,"employment":"platform_worker"}})";
  const std::string general =
      R"({"op":"recommend","as_of":"2023-06-30","person":{"sex":"m\u0061le","birth_date":"1990-05-01","hukou_local":true,"employment":"platform_worker"}})";
  ASSERT_TRUE(detail::read_simple_recommend_request(fast, policy->recommendation->facts));
  ASSERT_FALSE(detail::read_simple_recommend_request(general, policy->recommendation->facts));
  const std::string answer = call_json(*policy, fast);
  EXPECT_EQ(answer, call_json(*policy, general));
  EXPECT_NE(answer.find("\"path\":\"recommendation.tables[0].rows[13]\""), std::string::npos);
  // An error still names its place (the general path's message).
  try {
    call_json(
        *policy,
        R"({"op":"recommend","as_of":"2023-06-30","person":{"sex":"male","birth_date":"1990-02-30"}})");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where(), "request.person.birth_date");
  }
}

}  // namespace
