// Values a policy adds to the built-in lists (facts.hpp BuiltinValues,
// docs/facts.md#extending-the-built-in-lists): a veteran employment kind, a
// second land-expropriation batch flag and an insurance state, worked by hand
// on tests/data/policies/extended-lists.json; the one-person path, every batch
// kernel, the C ABI and the CLI give the same answers; strict reading names
// the JSON path; the policy round-trips.
#include <canbao.h>

#include <canbao/batch.hpp>
#include <canbao/error.hpp>
#include <canbao/facts.hpp>
#include <canbao/policy.hpp>
#include <canbao/recommender.hpp>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "cli_run.hpp"
#include "detail/batch_hooks.hpp"

namespace {

using namespace canbao;
using nlohmann::json;

const std::string kPolicyPath = CANBAO_SOURCE_DIR "/tests/data/policies/extended-lists.json";
const Date kAsOf = *Date::from_ymd(2024, 6, 30);

json policy_doc() {
  std::ifstream in(kPolicyPath);
  return json::parse(in);
}

std::string load_error(const json& doc) {
  try {
    load_policy(doc.dump(), "test");
  } catch (const PolicyError& e) {
    return e.what();
  }
  return "(loaded)";
}

// One roster person, in the roster's text form, and the answer worked by hand.
struct Case {
  const char* id;
  const char* sex;
  const char* birth;
  bool local;
  const char* status;
  const char* employment;
  const char* flags;
  const char* expected;  // "scheme,actions,groups"
};

// As of 2024-06-30. Scheme table (first hit): past retirement -> none;
// veteran -> employee + enroll_employee; second expropriation batch ->
// resident + government_pays; insured abroad -> none; otherwise resident +
// enroll_resident. Groups (collect): g1 local veterans and farmers, g2 either
// expropriation flag, g3 veterans without the second batch.
const Case kCases[] = {
    {"p1", "male", "1980-05-01", true, "none", "veteran", "", "employee,enroll_employee,g1;g3"},
    {"p2", "female", "1980-03-10", true, "none", "farmer", "land_expropriated_2024",
     "resident,government_pays,g1;g2"},
    // Veteran first, though the flag's row would also match; not local: no g1.
    {"p3", "male", "1990-01-01", false, "none", "veteran", "dibao;land_expropriated_2024",
     "employee,enroll_employee,g2"},
    {"p4", "male", "1985-07-07", true, "insured_abroad", "other", "", "none,,"},
    // Retired long ago: none, but the collect table still groups him.
    {"p5", "male", "1950-01-01", true, "none", "veteran", "", "none,,g1;g3"},
    {"p6", "female", "1995-01-01", true, "none", "student", "", "resident,enroll_resident,"},
};

Person person_of(const BuiltinValues& b, const Case& c) {
  Person p;
  p.sex = std::string(c.sex) == "male" ? Sex::male : Sex::female;
  p.birth_date = *parse_iso_date(c.birth);
  p.hukou_local = c.local;
  p.insurance_status =
      static_cast<InsuranceStatus>(b.code(BuiltinList::insurance_status, c.status));
  p.employment = static_cast<Employment>(b.code(BuiltinList::employment, c.employment));
  p.flags = static_cast<PersonFlags>(*b.parse_flags(c.flags));
  return p;
}

std::string answer(Scheme scheme, unsigned actions, unsigned groups) {
  return std::string(scheme_name(scheme)) + "," + actions_text(static_cast<ActionSet>(actions)) +
         "," + groups_text(static_cast<GroupSet>(groups));
}

TEST(BuiltinValues, AddedValuesTakeTheCodesAfterTheBuiltInOnes) {
  const Recommender r(load_policy_file(kPolicyPath));
  const BuiltinValues& b = r.facts().builtin;
  EXPECT_EQ(b.count(BuiltinList::employment), 10);
  EXPECT_EQ(b.code(BuiltinList::employment, "veteran"), 9);
  EXPECT_EQ(b.name(BuiltinList::employment, 9), "veteran");
  EXPECT_EQ(b.name(BuiltinList::employment, 8), "other");
  EXPECT_EQ(b.name(BuiltinList::employment, 10), "?");
  EXPECT_EQ(b.count(BuiltinList::insurance_status), 8);
  EXPECT_EQ(b.code(BuiltinList::insurance_status, "insured_abroad"), 7);
  EXPECT_EQ(b.count(BuiltinList::flags), 7);
  EXPECT_EQ(*b.parse_flags("dibao;land_expropriated_2024"), 1u | (1u << 6));
  EXPECT_EQ(b.flags_text(1u | (1u << 6)), "dibao;land_expropriated_2024");
  EXPECT_EQ(b.added(BuiltinList::employment).values[0].name, "退役军人");
}

TEST(BuiltinValues, OnePersonAnswersWorkedByHand) {
  const Recommender r(load_policy_file(kPolicyPath));
  for (const Case& c : kCases) {
    const Recommendation got = r.recommend(person_of(r.facts().builtin, c), kAsOf);
    EXPECT_EQ(answer(got.scheme, got.actions, got.groups), c.expected) << c.id;
  }
}

TEST(BuiltinValues, EveryBatchKernelGivesTheHandAnswers) {
  const Recommender r(load_policy_file(kPolicyPath));
  // Repeat the six persons past the AVX2 kernels' 16-person steps.
  PersonColumnStore s(r.facts());
  std::vector<std::string> expected;
  for (int k = 0; k < 9; ++k) {
    for (const Case& c : kCases) {
      const Person p = person_of(r.facts().builtin, c);
      s.sex.push_back(static_cast<std::uint8_t>(p.sex));
      s.birth_day.push_back(p.birth_date.day_number());
      s.hukou_local.push_back(p.hukou_local ? 1 : 0);
      s.insurance_status.push_back(static_cast<std::uint8_t>(p.insurance_status));
      s.employment.push_back(static_cast<std::uint8_t>(p.employment));
      s.resident_grade_yuan.push_back(0);
      s.flags.push_back(static_cast<std::uint8_t>(p.flags));
      expected.push_back(c.expected);
    }
  }
  for (const detail::BatchKernel kernel :
       {detail::BatchKernel::automatic, detail::BatchKernel::portable, detail::BatchKernel::avx2,
        detail::BatchKernel::per_person}) {
    std::vector<std::uint8_t> scheme(expected.size()), actions(expected.size()),
        groups(expected.size());
    detail::set_batch_kernel(kernel);
    r.recommend_batch(kAsOf, s.view(),
                      RecommendationColumns{scheme.data(), actions.data(), groups.data(), nullptr});
    detail::set_batch_kernel(detail::BatchKernel::automatic);
    for (std::size_t i = 0; i < expected.size(); ++i) {
      EXPECT_EQ(answer(static_cast<Scheme>(scheme[i]), actions[i], groups[i]), expected[i])
          << "kernel " << static_cast<int>(kernel) << ", row " << i;
    }
  }
  // Codes past the policy's lists are refused by every kernel, naming the column and row.
  s.employment[7] = 10;
  for (const detail::BatchKernel kernel :
       {detail::BatchKernel::automatic, detail::BatchKernel::portable, detail::BatchKernel::avx2,
        detail::BatchKernel::per_person}) {
    std::vector<std::uint8_t> out(expected.size());
    detail::set_batch_kernel(kernel);
    try {
      r.recommend_batch(kAsOf, s.view(),
                        RecommendationColumns{out.data(), out.data(), out.data(), nullptr});
      ADD_FAILURE() << "employment 10 accepted by kernel " << static_cast<int>(kernel);
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("employment[7]"), std::string::npos) << e.what();
    }
    detail::set_batch_kernel(detail::BatchKernel::automatic);
  }
}

TEST(BuiltinValues, CodesPastTheBuiltInListsNeedAPolicyThatAddsThem) {
  // 004 adds no employment kind: code 9 is refused on both paths, naming the field.
  const Recommender r(
      load_policy_file(CANBAO_SOURCE_DIR "/examples/policies/004-shiyan-2023.json"));
  Person p;
  p.birth_date = *Date::from_ymd(1990, 1, 1);
  p.employment = static_cast<Employment>(9);
  try {
    r.recommend(p, kAsOf);
    ADD_FAILURE() << "employment 9 accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("employment"), std::string::npos) << e.what();
  }
  PersonColumnStore s(r.facts());
  s.sex = {0, 0};
  s.birth_day = {7300, 7300};
  s.hukou_local = {1, 1};
  s.insurance_status = {0, 0};
  s.employment = {4, 9};
  s.resident_grade_yuan = {0, 0};
  s.flags = {0, 0};
  std::vector<std::uint8_t> out(2);
  try {
    r.recommend_batch(kAsOf, s.view(),
                      RecommendationColumns{out.data(), out.data(), out.data(), nullptr});
    ADD_FAILURE() << "employment 9 accepted by the batch";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("columns.employment[1]"), std::string::npos) << e.what();
  }
  // And in the text forms: "veteran" is no employment kind of 004.
  json doc = policy_doc();
  doc["facts"].erase(0);
  EXPECT_NE(load_error(doc).find("recommendation.tables[0].rows[1].when.employment[0]"),
            std::string::npos)
      << load_error(doc);
}

TEST(BuiltinValues, StrictReadingNamesTheJsonPath) {
  auto error_with = [](const json& facts0) {
    json doc = policy_doc();
    doc["facts"][0] = facts0;
    return load_error(doc);
  };
  // A value id that is already a built-in value.
  EXPECT_NE(
      error_with(
          json::parse(
              R"({"extends": "employment", "values": [{"id": "veteran"}, {"id": "farmer"}]})"))
          .find("facts[0].values[1].id: \"farmer\" is already a value of employment"),
      std::string::npos);
  // Too many: employment has 9 built-in kinds and room for 7 more.
  json many = {{"extends", "employment"}, {"values", json::array()}};
  for (int i = 0; i < 8; ++i) many["values"].push_back({{"id", "kind" + std::to_string(i)}});
  many["values"][0]["id"] = "veteran";
  const std::string too_many = error_with(many);
  EXPECT_NE(
      too_many.find(
          "facts[0].values: 8 values, but employment has room for 7 more (at most 16 in all)"),
      std::string::npos)
      << too_many;
  // Flags: 6 built-in, at most 8.
  json flags = policy_doc()["facts"][1];
  flags["values"].push_back({{"id", "b"}});
  flags["values"].push_back({{"id", "c"}});
  json doc = policy_doc();
  doc["facts"][1] = flags;
  EXPECT_NE(load_error(doc).find(
                "facts[1].values: 3 values, but flags has room for 2 more (at most 8 in all)"),
            std::string::npos)
      << load_error(doc);
  // An unknown list, a list extended twice, an unknown key, a bad id.
  EXPECT_NE(error_with(json::parse(R"({"extends": "hukou", "values": [{"id": "veteran"}]})"))
                .find("facts[0].extends: expected \"insurance_status\", \"employment\" or "
                      "\"flags\", got \"hukou\""),
            std::string::npos);
  doc = policy_doc();
  doc["facts"].push_back(json::parse(R"({"extends": "employment", "values": [{"id": "fisher"}]})"));
  EXPECT_NE(load_error(doc).find("facts[3].extends: the employment list is extended twice"),
            std::string::npos)
      << load_error(doc);
  EXPECT_NE(
      error_with(
          json::parse(R"({"extends": "employment", "values": [{"id": "veteran"}], "colour": 1})"))
          .find("facts[0]"),
      std::string::npos);
  EXPECT_NE(error_with(json::parse(R"({"extends": "employment", "values": [{"id": "Veteran!"}]})"))
                .find("facts[0].values[0]"),
            std::string::npos);
  // A condition naming a value nobody added.
  doc = policy_doc();
  doc["recommendation"]["tables"][0]["rows"][1]["when"]["employment"] = {"veterans"};
  EXPECT_NE(load_error(doc).find("recommendation.tables[0].rows[1].when.employment[0]"),
            std::string::npos)
      << load_error(doc);
}

TEST(BuiltinValues, ThePolicyRoundTrips) {
  const PolicyPtr p = load_policy_file(kPolicyPath);
  const std::string once = to_json(*p, 2);
  // Every entry kept, in the lists' own order (insurance_status, employment, flags).
  const json facts = json::parse(once)["facts"];
  const json file = policy_doc()["facts"];
  ASSERT_EQ(facts.size(), 3u);
  EXPECT_EQ(facts[0], file[2]);
  EXPECT_EQ(facts[1], file[0]);
  EXPECT_EQ(facts[2], file[1]);
  const PolicyPtr again = load_policy(once, "again");
  EXPECT_EQ(to_json(*again, 2), once);
  EXPECT_EQ(again->fingerprint(), p->fingerprint());
}

TEST(BuiltinValues, TheCAbiListsAndReadsTheAddedValues) {
  std::ifstream in(kPolicyPath);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  canbao_policy* p = nullptr;
  ASSERT_EQ(canbao_policy_from_json(text.data(), text.size(), &p), CANBAO_OK);
  size_t n = 0;
  ASSERT_EQ(canbao_policy_list_value_count(p, CANBAO_LIST_EMPLOYMENT, &n), CANBAO_OK);
  EXPECT_EQ(n, 10u);
  ASSERT_EQ(canbao_policy_list_value_count(p, CANBAO_LIST_INSURANCE_STATUS, &n), CANBAO_OK);
  EXPECT_EQ(n, 8u);
  ASSERT_EQ(canbao_policy_list_value_count(p, CANBAO_LIST_FLAGS, &n), CANBAO_OK);
  EXPECT_EQ(n, 7u);
  const char* id = nullptr;
  const char* name = nullptr;
  ASSERT_EQ(canbao_policy_list_value(p, CANBAO_LIST_EMPLOYMENT, 9, &id, &name), CANBAO_OK);
  EXPECT_STREQ(id, "veteran");
  EXPECT_STREQ(name, "退役军人");
  ASSERT_EQ(
      canbao_policy_list_value(p, CANBAO_LIST_EMPLOYMENT, CANBAO_EMPLOYMENT_OTHER, &id, &name),
      CANBAO_OK);
  EXPECT_STREQ(id, "other");
  EXPECT_STREQ(name, "");
  ASSERT_EQ(canbao_policy_list_value(p, CANBAO_LIST_FLAGS, 6, &id, nullptr), CANBAO_OK);
  EXPECT_STREQ(id, "land_expropriated_2024");
  EXPECT_EQ(canbao_policy_list_value(p, CANBAO_LIST_EMPLOYMENT, 10, &id, &name),
            CANBAO_INVALID_ARGUMENT);
  EXPECT_NE(
      std::string(canbao_last_error()).find("code: 10 is not below the 10 values of employment"),
      std::string::npos)
      << canbao_last_error();
  EXPECT_EQ(canbao_policy_list_value_count(p, 3, &n), CANBAO_INVALID_ARGUMENT);
  EXPECT_STREQ(canbao_last_error_where(), "list");
  EXPECT_EQ(canbao_policy_list_value_count(p, CANBAO_LIST_FLAGS, nullptr), CANBAO_INVALID_ARGUMENT);
  EXPECT_EQ(canbao_policy_list_value_count(nullptr, CANBAO_LIST_FLAGS, &n),
            CANBAO_INVALID_ARGUMENT);
  uint32_t code = 0;
  ASSERT_EQ(canbao_policy_list_value_parse(p, CANBAO_LIST_EMPLOYMENT, "veteran", 7, &code),
            CANBAO_OK);
  EXPECT_EQ(code, 9u);
  ASSERT_EQ(canbao_policy_list_value_parse(p, CANBAO_LIST_FLAGS, "dibao;land_expropriated_2024", 28,
                                           &code),
            CANBAO_OK);
  EXPECT_EQ(code, 65u);
  ASSERT_EQ(canbao_policy_list_value_parse(p, CANBAO_LIST_FLAGS, "", 0, &code), CANBAO_OK);
  EXPECT_EQ(code, 0u);
  EXPECT_EQ(canbao_policy_list_value_parse(p, CANBAO_LIST_EMPLOYMENT, "veterans", 8, &code),
            CANBAO_INPUT_ERROR);
  EXPECT_NE(std::string(canbao_last_error()).find("unknown employment \"veterans\""),
            std::string::npos)
      << canbao_last_error();
  EXPECT_NE(std::string(canbao_last_error()).find("other, veteran"), std::string::npos);

  // The batch entry: the six persons, the hand answers.
  const Recommender r(load_policy_file(kPolicyPath));
  std::vector<std::uint8_t> sex, local, status, employment, flags;
  std::vector<std::int32_t> birth;
  std::vector<std::uint16_t> grade;
  for (const Case& c : kCases) {
    const Person person = person_of(r.facts().builtin, c);
    sex.push_back(static_cast<std::uint8_t>(person.sex));
    birth.push_back(person.birth_date.day_number());
    local.push_back(person.hukou_local ? 1 : 0);
    ASSERT_EQ(canbao_policy_list_value_parse(p, CANBAO_LIST_INSURANCE_STATUS, c.status,
                                             std::strlen(c.status), &code),
              CANBAO_OK);
    status.push_back(static_cast<std::uint8_t>(code));
    ASSERT_EQ(canbao_policy_list_value_parse(p, CANBAO_LIST_EMPLOYMENT, c.employment,
                                             std::strlen(c.employment), &code),
              CANBAO_OK);
    employment.push_back(static_cast<std::uint8_t>(code));
    ASSERT_EQ(
        canbao_policy_list_value_parse(p, CANBAO_LIST_FLAGS, c.flags, std::strlen(c.flags), &code),
        CANBAO_OK);
    flags.push_back(static_cast<std::uint8_t>(code));
    grade.push_back(0);
  }
  const canbao_person_columns cin{CANBAO_ABI_VERSION, sex.size(),   sex.data(),
                                  birth.data(),       local.data(), status.data(),
                                  employment.data(),  grade.data(), flags.data()};
  std::vector<std::uint8_t> scheme(sex.size()), actions(sex.size()), groups(sex.size());
  const canbao_recommendation_columns cout{CANBAO_ABI_VERSION, scheme.data(), actions.data(),
                                           groups.data(), nullptr};
  ASSERT_EQ(canbao_recommend_columns(p, kAsOf.day_number(), &cin, &cout), CANBAO_OK)
      << canbao_last_error();
  for (std::size_t i = 0; i < sex.size(); ++i)
    EXPECT_EQ(answer(static_cast<Scheme>(scheme[i]), actions[i], groups[i]), kCases[i].expected)
        << kCases[i].id;
  employment[2] = 10;
  EXPECT_EQ(canbao_recommend_columns(p, kAsOf.day_number(), &cin, &cout), CANBAO_INPUT_ERROR);
  EXPECT_NE(std::string(canbao_last_error()).find("employment[2]"), std::string::npos)
      << canbao_last_error();
  canbao_policy_free(p);

  // A policy that adds nothing lists the built-in values.
  ASSERT_EQ(
      canbao_policy_from_file(CANBAO_SOURCE_DIR "/examples/policies/000-xx-town-2021.json", &p),
      CANBAO_OK);
  ASSERT_EQ(canbao_policy_list_value_count(p, CANBAO_LIST_EMPLOYMENT, &n), CANBAO_OK);
  EXPECT_EQ(n, static_cast<size_t>(CANBAO_EMPLOYMENT_OTHER + 1));
  ASSERT_EQ(canbao_policy_list_value_count(p, CANBAO_LIST_FLAGS, &n), CANBAO_OK);
  EXPECT_EQ(n, 6u);
  EXPECT_EQ(canbao_policy_list_value_parse(p, CANBAO_LIST_EMPLOYMENT, "veteran", 7, &code),
            CANBAO_INPUT_ERROR);
  canbao_policy_free(p);
}

TEST(BuiltinValues, TheCliReadsAndPrintsTheAddedValues) {
  if (std::string(CANBAO_CLI_PATH).empty()) GTEST_SKIP() << "CLI not built";
  const std::string roster = canbao_test::unique_temp_path("extended_roster.csv");
  {
    std::ofstream out(roster);
    out << "id,id_number,name,sex,birth_date,hukou_local,insurance_status,employment,resident_"
           "grade_yuan,flags\n";
    for (const Case& c : kCases) {
      out << c.id << ",,某," << c.sex << "," << c.birth << "," << (c.local ? "true" : "false")
          << "," << c.status << "," << c.employment << ",," << c.flags << "\n";
    }
  }
  const canbao_test::CliRun r = canbao_test::run_cli("recommend " + kPolicyPath + " --roster " +
                                                     roster + " --as-of 2024-06-30");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const Case& c : kCases) {
    // id,age,scheme,actions,groups,...
    const std::string row = std::string("\n") + c.id + ",";
    const std::size_t at = r.output.find(row);
    ASSERT_NE(at, std::string::npos) << r.output;
    const std::size_t age_end = r.output.find(',', at + row.size());
    EXPECT_EQ(
        r.output.compare(age_end + 1, std::strlen(c.expected) + 1, std::string(c.expected) + ","),
        0)
        << c.id << ": " << r.output;
  }
  const canbao_test::CliRun explain = canbao_test::run_cli(
      "recommend " + kPolicyPath + " --roster " + roster + " --as-of 2024-06-30 --explain p3");
  ASSERT_EQ(explain.exit_code, 0) << explain.output;
  EXPECT_NE(explain.output.find("employment:         veteran\n"), std::string::npos)
      << explain.output;
  EXPECT_NE(explain.output.find("flags:              dibao;land_expropriated_2024\n"),
            std::string::npos);
  EXPECT_EQ(explain.output.find("?"), std::string::npos);
  const canbao_test::CliRun abroad = canbao_test::run_cli(
      "recommend " + kPolicyPath + " --roster " + roster + " --as-of 2024-06-30 --explain p4");
  EXPECT_NE(abroad.output.find("insurance_status:   insured_abroad\n"), std::string::npos)
      << abroad.output;
}

}  // namespace
