// The batch path gives exactly the one-person answers: 100,000 seeded random
// persons through both, every output field compared.
#include <canbao.h>

#include <canbao/batch.hpp>
#include <canbao/policy.hpp>
#include <canbao/recommendation.hpp>
#include <canbao/recommender.hpp>
#include <canbao/reform.hpp>

#include <gtest/gtest.h>

#include "c_persons.hpp"
#include "detail/batch_hooks.hpp"

#include <nlohmann/json.hpp>

#include <atomic>
#include <climits>
#include <fstream>
#include <functional>
#include <random>
#include <set>
#include <thread>
#include <vector>

namespace {

using namespace canbao;

using Columns = PersonColumnStore;

struct KernelGuard {
  explicit KernelGuard(detail::BatchKernel k) { detail::set_batch_kernel(k); }
  ~KernelGuard() { detail::set_batch_kernel(detail::BatchKernel::automatic); }
};

// Births spread over 1900..as_of with extra weight on the rule boundaries
// (birthdays around 16, 40, 45, 60 and the retirement cut-offs).
Columns random_persons(std::size_t n, Date as_of, unsigned seed) {
  std::mt19937 rng(seed);
  Columns c;
  const std::int32_t lo = Date::from_ymd(1900, 1, 1)->day_number(), hi = as_of.day_number();
  const int boundary_ages[] = {16, 40, 45, 60};
  const int grades[] = {0, 100, 500, 1000, 1001, 1500, 2000, 65535};
  for (std::size_t i = 0; i < n; ++i) {
    c.sex.push_back(static_cast<std::uint8_t>(rng() % 2));
    std::int32_t b;
    if (rng() % 3 == 0) {
      b = years_before(as_of, boundary_ages[rng() % 4]).day_number() +
          static_cast<std::int32_t>(rng() % 5) - 2;
    } else {
      b = lo + static_cast<std::int32_t>(rng() % static_cast<unsigned>(hi - lo + 1));
    }
    c.birth_day.push_back(b);
    c.hukou_local.push_back(static_cast<std::uint8_t>(rng() % 2));
    c.insurance_status.push_back(static_cast<std::uint8_t>(rng() % kInsuranceStatusCount));
    c.employment.push_back(static_cast<std::uint8_t>(rng() % kEmploymentCount));
    c.flags.push_back(static_cast<std::uint8_t>(rng() % 8 == 0 ? rng() % 64 : 0));
    c.resident_grade_yuan.push_back(
        static_cast<std::uint16_t>(rng() % 2 ? grades[rng() % 8] : rng() % 3000));
  }
  return c;
}

void expect_batch_equals_one_person(const PolicyPtr& policy, Date as_of, unsigned seed) {
  const std::size_t n = 100000;
  const Columns c = random_persons(n, as_of, seed);
  std::vector<std::uint8_t> scheme(n), actions(n), groups(n);
  std::vector<std::uint64_t> fired(n);
  RecommendationColumns out{scheme.data(), actions.data(), groups.data(), fired.data()};
  // Each kernel in turn (the AVX2 one falls back to portable without AVX2).
  for (auto kernel : {detail::BatchKernel::per_person, detail::BatchKernel::portable,
                      detail::BatchKernel::avx2}) {
    detail::set_batch_kernel(kernel);
    recommend_batch(*policy, as_of, c.view(), out);
    detail::set_batch_kernel(detail::BatchKernel::automatic);
    for (std::size_t i = 0; i < n; ++i) {
      const Person p = c.person(i);
      const Recommendation r = recommend(*policy, p, as_of);
      ASSERT_EQ(scheme[i], static_cast<std::uint8_t>(r.scheme))
          << "person " << i << " born " << p.birth_date.iso();
      ASSERT_EQ(actions[i], r.actions) << "person " << i << " born " << p.birth_date.iso();
      ASSERT_EQ(groups[i], r.groups) << "person " << i;
      ASSERT_EQ(fired[i], r.fired_rows.at(0)) << "person " << i << " born " << p.birth_date.iso();
    }
  }
}

void expect_batch_equals_one_person(const char* policy_file, Date as_of, unsigned seed) {
  expect_batch_equals_one_person(
      load_policy_file(std::string(CANBAO_SOURCE_DIR "/examples/policies/") + policy_file), as_of,
      seed);
}

TEST(Batch, AgeRulePolicyGivesTheOnePersonAnswersFor100000RandomPersons) {
  expect_batch_equals_one_person("004-shiyan-2023.json", *Date::from_ymd(2023, 6, 30), 4);
}

TEST(Batch, RetirementDerivedPolicyGivesTheOnePersonAnswersFor100000RandomPersons) {
  expect_batch_equals_one_person("004-shiyan-2023-retirement.json", *Date::from_ymd(2023, 6, 30),
                                 5);
  // A leap day as-of date moves every age cut-off.
  expect_batch_equals_one_person("004-shiyan-2023-retirement.json", *Date::from_ymd(2024, 2, 29),
                                 6);
}

TEST(Batch, BirthDayCutOffsOver65535DaysAfter1900StillGiveTheOnePersonAnswers) {
  // On 2090-01-01 "under 5" cuts at 2085-01-01, over 65535 days after
  // 1900-01-01: the AVX2 kernel's 16-bit birth-day offsets cannot express it,
  // so run() must leave those persons to the portable kernel.
  const PolicyPtr base =
      load_policy_file(CANBAO_SOURCE_DIR "/examples/policies/004-shiyan-2023.json");
  const PolicyPtr late_cut = apply_reform(*base, R"([
    {"op": "add", "path": "/recommendation/tables/0/rows/3", "value": {
      "when": {"age": {"lt": 5}}, "then": {"scheme": "none"},
      "reason": {"zh": "未满5周岁", "en": "under 5"}}}
  ])");
  expect_batch_equals_one_person(late_cut, *Date::from_ymd(2090, 1, 1), 11);
  // And 2023 again, with the same extra row: everything fits in 16 bits.
  expect_batch_equals_one_person(late_cut, *Date::from_ymd(2023, 6, 30), 12);
}

// Issue 9 section 2: 55 collect tables, each guarded by an age and a grade
// range, each row with a years-to-retirement and a grade range, all bounds
// distinct. 183 birth-day and 221 grade segments: 2 x 183 x 221 = 80,886
// date keys do not fit the 16-bit key the portable kernel used to store, and
// it answered wrongly for most persons while the policy loaded fine.
PolicyPtr many_cut_offs_policy() {
  nlohmann::json tables = nlohmann::json::array();
  for (int k = 0; k < 55; ++k) {
    const std::string id = std::to_string(k);
    tables.push_back({{"id", "t" + id},
                      {"hit", "collect"},
                      {"when",
                       {{"age", {{"ge", 10 + k}, {"le", 60 + k}}},
                        {"resident_grade_yuan", {{"ge", 10 * k + 1}, {"le", 2000 + 10 * k}}}}},
                      {"rows",
                       {{{"when",
                          {{"years_to_retirement", {{"ge", k - 20}}},
                           {"resident_grade_yuan", {{"ge", 10 * k + 5}, {"le", 3000 + 7 * k}}}}},
                         {"then", {{"groups", {"g" + std::to_string(1 + k % 8)}}}},
                         {"reason", {{"zh", "规则" + id}, {"en", "rule " + id}}}}}}});
  }
  const PolicyPtr base =
      load_policy_file(CANBAO_SOURCE_DIR "/examples/policies/004-shiyan-2023.json");
  return apply_reform(*base, nlohmann::json{{"recommendation", {{"tables", tables}}}}.dump());
}

TEST(Batch, PolicyWithManyAgeGradeAndRetirementCutOffsGivesTheOnePersonAnswers) {
  const PolicyPtr policy = many_cut_offs_policy();
  expect_batch_equals_one_person(policy, *Date::from_ymd(2023, 6, 30), 14);
  expect_batch_equals_one_person(policy, *Date::from_ymd(2024, 2, 29), 15);
  // Too many date keys for the AVX2 table's 16-bit keys: the portable table
  // with 32-bit keys runs, and the trace says why.
  const auto prepared = Recommender(policy).prepared(*Date::from_ymd(2023, 6, 30));
  EXPECT_EQ(prepared->kernel(), BatchKernelKind::portable_table);
  EXPECT_NE(prepared->kernel_reason().find("no AVX2 table: its direct table would need"),
            std::string::npos)
      << prepared->kernel_reason();
}

TEST(Batch, MoreThan250GradeCutOffsLoadAndGiveTheOnePersonAnswers) {
  // 63 tables, each a guard and a row with two grade bounds of their own:
  // 252 grade cut-offs. The batch path used to refuse this loadable policy
  // ("too many distinct grade cut-offs (over 250)").
  nlohmann::json tables = nlohmann::json::array();
  for (int k = 0; k < 63; ++k) {
    const std::string id = std::to_string(k);
    tables.push_back(
        {{"id", "t" + id},
         {"hit", "collect"},
         {"when", {{"resident_grade_yuan", {{"ge", 10 * k + 1}, {"le", 5000 + 10 * k}}}}},
         {"rows",
          {{{"when", {{"resident_grade_yuan", {{"ge", 10 * k + 5}, {"le", 4000 + 7 * k}}}}},
            {"then", {{"actions", {k % 2 ? "raise_grade" : "resume_payment"}}}},
            {"reason", {{"zh", "规则" + id}, {"en", "rule " + id}}}}}}});
  }
  const PolicyPtr base =
      load_policy_file(CANBAO_SOURCE_DIR "/examples/policies/004-shiyan-2023.json");
  const PolicyPtr policy =
      apply_reform(*base, nlohmann::json{{"recommendation", {{"tables", tables}}}}.dump());
  expect_batch_equals_one_person(policy, *Date::from_ymd(2023, 6, 30), 16);
}

// One person through the C ABI: the index and column of the first bad value.
struct CPolicy {
  canbao_policy* p = nullptr;
  explicit CPolicy(const char* file) {
    EXPECT_EQ(canbao_policy_from_file(file, &p), CANBAO_OK) << canbao_last_error();
  }
  ~CPolicy() { canbao_policy_free(p); }
};

TEST(Batch, EveryInputColumnIsRangeCheckedAndNamedByRowAndColumn) {
  // Issue 9 section 3: a birth_day of INT32_MAX overflowed inside
  // Date::civil_from_days (UBSan); every column is now checked as integers.
  const PolicyPtr policy =
      load_policy_file(CANBAO_SOURCE_DIR "/examples/policies/004-shiyan-2023.json");
  const CPolicy c_policy(CANBAO_SOURCE_DIR "/examples/policies/004-shiyan-2023.json");
  const Date as_of = *Date::from_ymd(2023, 6, 30);
  const std::size_t n = 1100, bad = 700;  // past the C ABI's first chunk of 512 structs
  struct Case {
    const char* column;
    std::function<void(Columns&)> spoil;
    const char* says;
  };
  const std::int32_t first = Date::from_ymd(1900, 1, 1)->day_number();
  const Case cases[] = {
      {"sex", [](Columns& c) { c.sex[bad] = 2; }, "expected 0 (male) or 1 (female), got 2"},
      {"hukou_local", [](Columns& c) { c.hukou_local[bad] = 255; }, "expected 0 or 1, got 255"},
      {"insurance_status", [](Columns& c) { c.insurance_status[bad] = 7; }, "expected 0..6, got 7"},
      {"employment", [](Columns& c) { c.employment[bad] = 9; }, "expected 0..8, got 9"},
      {"flags", [](Columns& c) { c.flags[bad] = 64; }, "unknown flag bits in 64"},
      {"birth_day", [](Columns& c) { c.birth_day[bad] = INT32_MAX; },
       "2147483647 is not a supported birth day (1900-01-01..2023-06-30"},
      {"birth_day", [](Columns& c) { c.birth_day[bad] = INT32_MIN; },
       "-2147483648 is not a supported birth day"},
      {"birth_day", [=](Columns& c) { c.birth_day[bad] = first - 1; },
       "-25568 (1899-12-31) is not a supported birth day"},
      {"birth_day", [=](Columns& c) { c.birth_day[bad] = as_of.day_number() + 1; },
       "19539 (2023-07-01) is not a supported birth day"},
  };
  for (const Case& k : cases) {
    Columns c = random_persons(n, as_of, 17);
    k.spoil(c);
    const std::string columns_at = std::string("columns.") + k.column + "[700]";
    for (auto kernel : {detail::BatchKernel::per_person, detail::BatchKernel::portable,
                        detail::BatchKernel::avx2}) {
      KernelGuard guard(kernel);
      std::vector<std::uint8_t> scheme(n), actions(n), groups(n);
      try {
        recommend_batch(
            *policy, as_of, c.view(),
            RecommendationColumns{scheme.data(), actions.data(), groups.data(), nullptr});
        ADD_FAILURE() << columns_at << ": no error";
      } catch (const InputError& e) {
        EXPECT_EQ(e.where(), columns_at);
        EXPECT_NE(e.message().find(k.says), std::string::npos) << e.what();
      }
    }
    // The C ABI, columns and structs.
    const canbao_person_columns in = c_person_columns(c);
    std::vector<std::uint8_t> scheme(n), actions(n), groups(n);
    const canbao_recommendation_columns out{CANBAO_ABI_VERSION, scheme.data(), actions.data(),
                                            groups.data(), nullptr};
    EXPECT_EQ(canbao_recommend_columns(c_policy.p, as_of.day_number(), &in, &out),
              CANBAO_INPUT_ERROR);
    EXPECT_EQ(std::string(canbao_last_error_where()), columns_at);
    EXPECT_NE(std::string(canbao_last_error()).find(k.says), std::string::npos)
        << canbao_last_error();
    std::vector<canbao_person> persons = c_persons(c);
    std::vector<canbao_recommendation> results(n);
    EXPECT_EQ(
        canbao_recommend_batch(c_policy.p, as_of.day_number(), persons.data(), n, results.data()),
        CANBAO_INPUT_ERROR);
    EXPECT_EQ(std::string(canbao_last_error_where()), std::string("persons[700].") + k.column);
  }
}

TEST(Batch, AsOfOutsideTheSupportedRangeIsAnArgumentErrorOnEveryPathAndKernel) {
  // canbao evaluates days 1900-01-01..2200-12-31 (date.hpp): an as-of day
  // outside is said plainly, before any date arithmetic, on both paths.
  const PolicyPtr policy =
      load_policy_file(CANBAO_SOURCE_DIR "/examples/policies/004-shiyan-2023.json");
  for (const Date as_of : {*Date::from_ymd(1899, 6, 30), *Date::from_ymd(2250, 6, 30)}) {
    Columns c = random_persons(20, *Date::from_ymd(1950, 1, 1), 20);
    const std::string expected =
        "as_of: " + as_of.iso() + " is outside the supported range 1900-01-01..2200-12-31";
    try {
      recommend(*policy, c.person(0), as_of);
      ADD_FAILURE() << "one person: no error";
    } catch (const ArgumentError& e) {
      EXPECT_EQ(std::string(e.what()), expected);
    }
    for (auto kernel : {detail::BatchKernel::per_person, detail::BatchKernel::portable,
                        detail::BatchKernel::avx2}) {
      KernelGuard guard(kernel);
      std::vector<std::uint8_t> scheme(20), actions(20), groups(20);
      try {
        recommend_batch(
            *policy, as_of, c.view(),
            RecommendationColumns{scheme.data(), actions.data(), groups.data(), nullptr});
        ADD_FAILURE() << "batch: no error";
      } catch (const ArgumentError& e) {
        EXPECT_EQ(std::string(e.what()), expected);
      }
    }
  }
}

TEST(Batch, BirthsAfterTheAsOfDayAreInputErrorsOnBothPaths) {
  // On the last supported day, 2200-12-31, every earlier birth is answered
  // alike by both paths; a birth after the as-of day is the caller's error.
  const PolicyPtr policy =
      load_policy_file(CANBAO_SOURCE_DIR "/examples/policies/004-shiyan-2023.json");
  const Date as_of = *Date::from_ymd(2200, 12, 31);
  expect_batch_equals_one_person(policy, as_of, 19);
  Columns c = random_persons(40, as_of, 18);
  c.birth_day[9] = as_of.day_number() + 1;
  try {
    recommend(*policy, c.person(9), as_of);
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where(), "birth_date");
  }
  std::vector<std::uint8_t> scheme(40), actions(40), groups(40);
  try {
    recommend_batch(*policy, as_of, c.view(),
                    RecommendationColumns{scheme.data(), actions.data(), groups.data(), nullptr});
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where(), "columns.birth_day[9]");
    EXPECT_NE(e.message().find("(2201-01-01) is not a supported birth day (1900-01-01..2200-12-31"),
              std::string::npos)
        << e.what();
  }
}

TEST(Batch, OutOfRangeValueIsAnInputErrorNamingRowAndColumn) {
  const PolicyPtr policy =
      load_policy_file(CANBAO_SOURCE_DIR "/examples/policies/004-shiyan-2023.json");
  const Date as_of = *Date::from_ymd(2023, 6, 30);
  Columns c = random_persons(10, as_of, 7);
  std::vector<std::uint8_t> scheme(10), actions(10), groups(10);
  RecommendationColumns out{scheme.data(), actions.data(), groups.data(), nullptr};
  c.employment[6] = 9;
  try {
    recommend_batch(*policy, as_of, c.view(), out);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where(), "columns.employment[6]");
  }
  c.employment[6] = 0;
  c.birth_day[3] = as_of.day_number() + 1;  // not born yet
  try {
    recommend_batch(*policy, as_of, c.view(), out);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where(), "columns.birth_day[3]");
  }
}

TEST(Batch, PreparedTablesGiveTheSameAnswersChunkByChunk) {
  const PolicyPtr policy =
      load_policy_file(CANBAO_SOURCE_DIR "/examples/policies/004-shiyan-2023.json");
  const Date as_of = *Date::from_ymd(2023, 6, 30);
  const Columns c = random_persons(1000, as_of, 8);
  std::vector<std::uint8_t> s1(1000), a1(1000), g1(1000), s2(1000), a2(1000), g2(1000);
  recommend_batch(*policy, as_of, c.view(),
                  RecommendationColumns{s1.data(), a1.data(), g1.data(), nullptr});
  const PreparedRecommendation prepared(*policy->recommendation, as_of);
  for (std::size_t start = 0; start < 1000; start += 300) {
    PersonColumns v = c.view();
    const std::size_t k = std::min<std::size_t>(300, 1000 - start);
    v.count = k;
    v.sex += start, v.birth_day += start, v.hukou_local += start, v.insurance_status += start;
    v.employment += start, v.resident_grade_yuan += start, v.flags += start;
    prepared.run(
        v, RecommendationColumns{s2.data() + start, a2.data() + start, g2.data() + start, nullptr});
  }
  EXPECT_EQ(s1, s2);
  EXPECT_EQ(a1, a2);
  EXPECT_EQ(g1, g2);
}

TEST(Batch, PreparedTablesAreKeptForTheLastFourAsOfDates) {
  const PolicyPtr policy =
      load_policy_file(CANBAO_SOURCE_DIR "/examples/policies/004-shiyan-2023.json");
  const Recommender tables(policy);
  const Date d0 = *Date::from_ymd(2023, 6, 30);
  const auto first = tables.prepared(d0);
  EXPECT_EQ(first->as_of(), d0);
  EXPECT_EQ(tables.prepared(d0), first);  // the same object, not prepared again
  for (int k = 1; k <= 3; ++k) {
    const Date d = d0 + Days(k);
    EXPECT_EQ(tables.prepared(d)->as_of(), d);
  }
  EXPECT_EQ(tables.prepared(d0), first);  // four dates: d0 still kept
  tables.prepared(d0 + Days(4));          // a fifth drops the oldest, d0
  const auto again = tables.prepared(d0);
  EXPECT_NE(again, first);
  EXPECT_EQ(again->as_of(), d0);
}

TEST(Batch, ConcurrentCallsOnManyAsOfDatesGiveTheirOwnAnswers) {
  // Eight threads, six dates (more than the four kept): every call must use
  // tables prepared for its own date while others evict and prepare.
  const PolicyPtr policy =
      load_policy_file(CANBAO_SOURCE_DIR "/examples/policies/004-shiyan-2023.json");
  const Date base = *Date::from_ymd(2023, 6, 30);
  const std::size_t n = 2000;
  const Columns c = random_persons(n, base, 13);
  std::vector<std::vector<std::uint8_t>> expected(6);
  for (int d = 0; d < 6; ++d) {
    const PreparedRecommendation own(*policy->recommendation, base + Days(365 * d));
    std::vector<std::uint8_t> a(n), g(n);
    expected[d].resize(n);
    own.run(c.view(), RecommendationColumns{expected[d].data(), a.data(), g.data(), nullptr});
  }
  for (int d = 1; d < 6; ++d) ASSERT_NE(expected[d], expected[d - 1]) << "dates must differ";
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  const Recommender recommender(policy);  // one cache shared by every thread
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      std::vector<std::uint8_t> s(n), a(n), g(n);
      for (int call = 0; call < 60; ++call) {
        const int d = (t + call) % 6;
        recommender.recommend_batch(base + Days(365 * d), c.view(),
                                    RecommendationColumns{s.data(), a.data(), g.data(), nullptr});
        if (s != expected[d]) ++mismatches;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
}

// Both kernels (portable, and AVX2 when the CPU has it) over the same persons,
// including a count that leaves a tail for the portable path after the AVX2 one.

// An example policy without its declared facts and the rows that test them,
// women retiring at the original age 55: the fixed-field kernels' shape (tables that test declared
// facts run the generic kernels, tests/unit/test_declared_facts.cpp).
PolicyPtr without_declared_facts(const char* file) {
  std::ifstream in(std::string(CANBAO_SOURCE_DIR "/examples/policies/") + file);
  nlohmann::json doc = nlohmann::json::parse(in);
  std::set<std::string> ids;
  for (const auto& f : doc.value("facts", nlohmann::json::array()))
    ids.insert(f["id"].get<std::string>());
  doc.erase("facts");
  doc["recommendation"]["retirement"] = {{"female_original_age", 55}};
  for (auto& table : doc["recommendation"]["tables"]) {
    auto& rows = table["rows"];
    for (std::size_t r = rows.size(); r-- > 0;) {
      for (const std::string& id : ids) {
        if (rows[r]["when"].contains(id)) {
          rows.erase(r);
          break;
        }
      }
    }
  }
  return load_policy(doc.dump(), file);
}

TEST(Batch, Avx2AndPortableKernelsGiveIdenticalColumns) {
  if (!detail::batch_avx2_available()) GTEST_SKIP() << "no AVX2 on this machine or build";
  for (const char* file : {"004-shiyan-2023.json", "004-shiyan-2023-retirement.json"}) {
    const PolicyPtr policy = without_declared_facts(file);
    const Date as_of = *Date::from_ymd(2024, 2, 29);
    const std::size_t n = 100003;
    const Columns c = random_persons(n, as_of, 9);
    const PreparedRecommendation prepared(*policy->recommendation, as_of);
    ASSERT_TRUE(detail::batch_avx2_table_built(prepared)) << file;
    std::vector<std::uint8_t> s[2], a[2], g[2];
    std::vector<std::uint64_t> f[2];
    for (int k = 0; k < 2; ++k) {
      KernelGuard guard(k == 0 ? detail::BatchKernel::portable : detail::BatchKernel::avx2);
      s[k].assign(n, 0xEE), a[k].assign(n, 0xEE), g[k].assign(n, 0xEE), f[k].assign(n, 7);
      prepared.run(c.view(),
                   RecommendationColumns{s[k].data(), a[k].data(), g[k].data(), f[k].data()});
    }
    EXPECT_EQ(s[0], s[1]) << file;
    EXPECT_EQ(a[0], a[1]) << file;
    EXPECT_EQ(g[0], g[1]) << file;
    EXPECT_EQ(f[0], f[1]) << file;
  }
}

TEST(Batch, BothKernelsNameTheFirstBadRow) {
  const PolicyPtr policy =
      load_policy_file(CANBAO_SOURCE_DIR "/examples/policies/004-shiyan-2023.json");
  const Date as_of = *Date::from_ymd(2023, 6, 30);
  const std::size_t n = 37;  // 2 AVX2 steps of 16, then a tail of 5
  for (auto kernel : {detail::BatchKernel::per_person, detail::BatchKernel::portable,
                      detail::BatchKernel::avx2}) {
    KernelGuard guard(kernel);
    for (std::size_t bad : {std::size_t{0}, std::size_t{13}, std::size_t{33}}) {
      Columns c = random_persons(n, as_of, 10);
      std::vector<std::uint8_t> scheme(n), actions(n), groups(n);
      c.flags[bad] = 0x40;
      c.birth_day[bad + 2] = Date::from_ymd(1899, 12, 31)->day_number();
      try {
        recommend_batch(
            *policy, as_of, c.view(),
            RecommendationColumns{scheme.data(), actions.data(), groups.data(), nullptr});
        FAIL() << "no error";
      } catch (const InputError& e) {
        EXPECT_EQ(e.where(), "columns.flags[" + std::to_string(bad) + "]");
      }
    }
  }
}

TEST(Batch, TablesOnThisThreadFollowTheRecommenderAndTheDate) {
  // The per-thread entry must never answer with another Recommender's or
  // another date's tables: threads alternate two policies (004 and its
  // retirement variant answer differently) and six dates, and a Recommender made after another is
  // freed (perhaps at the same address) gets its own tables.
  const PolicyPtr p004 =
      load_policy_file(CANBAO_SOURCE_DIR "/examples/policies/004-shiyan-2023.json");
  const PolicyPtr retirement =
      load_policy_file(CANBAO_SOURCE_DIR "/examples/policies/004-shiyan-2023-retirement.json");
  const Date base = *Date::from_ymd(2023, 6, 30);
  const std::size_t n = 500;
  const Columns c = random_persons(n, base, 29);
  auto answers = [&](const PreparedRecommendation& t) {
    std::vector<std::uint8_t> s(n), a(n), g(n);
    t.run(c.view(), RecommendationColumns{s.data(), a.data(), g.data(), nullptr});
    s.insert(s.end(), a.begin(), a.end());
    s.insert(s.end(), g.begin(), g.end());
    return s;  // the scheme, action and group codes
  };
  const PolicyPtr policies[2] = {p004, retirement};
  std::vector<std::uint8_t> expected[2][6];
  for (int k = 0; k < 2; ++k)
    for (int d = 0; d < 6; ++d)
      expected[k][d] =
          answers(PreparedRecommendation(*policies[k]->recommendation, base + Days(365 * d)));
  ASSERT_NE(expected[0][0], expected[1][0]) << "the two policies must answer differently";
  const Recommender recommenders[2] = {Recommender(p004), Recommender(retirement)};
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int call = 0; call < 48; ++call) {
        const int k = (t + call) % 2, d = (t + call / 2) % 6;
        const PreparedRecommendation& here =
            recommenders[k].prepared_on_this_thread(base + Days(365 * d));
        if (here.as_of() != base + Days(365 * d) || answers(here) != expected[k][d]) ++mismatches;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
  for (int round = 0; round < 4; ++round) {
    const int k = round % 2;
    const Recommender fresh(policies[k]);  // the previous round's one is gone
    EXPECT_EQ(answers(fresh.prepared_on_this_thread(base)), expected[k][0]) << round;
  }
}

}  // namespace
