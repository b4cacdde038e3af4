// One person through the C ABI (issue 15, door "one person through
// canbao_call_json"): the typed entry canbao_recommend_one, canbao_call_json
// with a one-person recommend request, and in the same run the peers:
// canbao_recommend_batch and canbao_recommend_columns with count = 1, the
// pre-issue-15 JSON pipeline (a Recommender built per call, the response
// as a nlohmann DOM), and a plain C function doing 004's age rule with
// if/else on the same struct (the floor: no policy at all). On 004 and its
// retirement-derived variant. Items are persons.
//   build/benchmarks/bench_c_abi --benchmark_repetitions=5
#include <benchmark/benchmark.h>

#include <canbao.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <canbao/policy.hpp>
#include <canbao/recommendation.hpp>

#include "detail/result_json.hpp"

namespace {

const char* const kPolicies[] = {"004-shiyan-2023.json", "004-shiyan-2023-retirement.json"};

const canbao_policy* policy(int which) {
  static canbao_policy* loaded[2] = {nullptr, nullptr};
  if (loaded[which] == nullptr) {
    const std::string path =
        std::string(CANBAO_SOURCE_DIR) + "/examples/policies/" + kPolicies[which];
    if (canbao_policy_from_file(path.c_str(), &loaded[which]) != CANBAO_OK) std::abort();
  }
  return loaded[which];
}

std::int32_t day(int y, int m, int d) {
  std::int32_t out = 0;
  if (canbao_date_from_ymd(y, m, d, &out) != CANBAO_OK) std::abort();
  return out;
}

const std::int32_t kAsOf = day(2023, 6, 30);

// 256 persons cycled through, so one answer is not the branch predictor's.
struct Persons {
  std::vector<canbao_person> structs;
  std::vector<std::string> requests;
  Persons() {
    std::mt19937 rng(42);
    const std::int32_t lo = day(1940, 1, 1), hi = day(2005, 6, 30);
    const char* statuses[] = {"none", "resident_paying", "employee_paying"};
    const char* jobs[] = {"employer", "platform_worker", "farmer", "unemployed", "other"};
    const std::uint8_t status_code[] = {0, 1, 3};
    const std::uint8_t job_code[] = {0, 2, 4, 6, 8};
    for (int i = 0; i < 256; ++i) {
      canbao_person p;
      std::memset(&p, 0, sizeof p);
      p.sex = rng() & 1;
      p.birth_day = lo + static_cast<std::int32_t>(rng() % static_cast<unsigned>(hi - lo));
      p.hukou_local = 1;
      const unsigned s = rng() % 3, j = rng() % 5;
      p.insurance_status = status_code[s];
      p.employment = job_code[j];
      structs.push_back(p);
      int y = 0, m = 0, d = 0;
      canbao_date_to_ymd(p.birth_day, &y, &m, &d);
      char birth[16];
      std::snprintf(birth, sizeof birth, "%04d-%02d-%02d", y, m, d);
      requests.push_back(
          std::string("{\"op\":\"recommend\",\"as_of\":\"2023-06-30\",\"person\":{") +
          "\"sex\":\"" + (p.sex ? "female" : "male") + "\",\"birth_date\":\"" + birth +
          "\",\"hukou_local\":true,\"insurance_status\":\"" + statuses[s] + "\",\"employment\":\"" +
          jobs[j] + "\"}}");
    }
  }
};
const Persons& persons() {
  static const Persons p;
  return p;
}

// canbao_call_json, one person a call. range(1) 1: the request spelt so the
// fast reader declines it (the key "birth\u005fdate"), measuring the general path
// (nlohmann DOM of the request, then the same answer writer).
void BM_CallJson(benchmark::State& state) {
  const canbao_policy* p = policy(static_cast<int>(state.range(0)));
  std::vector<std::string> requests = persons().requests;
  if (state.range(1) == 1) {
    for (std::string& r : requests) {
      const auto at = r.find("\"birth_date\"");
      if (at != std::string::npos) r.replace(at, 12, "\"birth\\u005fdate\"");
    }
  }
  std::size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const std::string& r = requests[i++ & 255];
    char* response = nullptr;
    if (canbao_call_json(p, r.data(), r.size(), &response) != CANBAO_OK) std::abort();
    bytes += std::strlen(response);
    canbao_string_free(response);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["response_bytes"] =
      benchmark::Counter(static_cast<double>(bytes), benchmark::Counter::kAvgIterations);
}

void BM_RecommendOne(benchmark::State& state) {
  const canbao_policy* p = policy(static_cast<int>(state.range(0)));
  const Persons& in = persons();
  std::size_t i = 0;
  canbao_recommendation r;
  for (auto _ : state) {
    if (canbao_recommend_one(p, kAsOf, &in.structs[i++ & 255], &r) != CANBAO_OK) std::abort();
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}

// The pre-issue-15 pipeline of op "recommend", from its public parts: a
// Recommender built per call (recommend(policy, ...)) and the response as a
// nlohmann DOM, dumped. The request is not parsed here: this is a floor of
// what the old call_json cost beyond parsing.
void BM_OldRecommendPipeline(benchmark::State& state) {
  const int which = static_cast<int>(state.range(0));
  const std::string path =
      std::string(CANBAO_SOURCE_DIR) + "/examples/policies/" + kPolicies[which];
  const canbao::PolicyPtr pol = canbao::load_policy_file(path);
  const canbao::Date as_of = canbao::Date::from_day_number(kAsOf);
  const Persons& in = persons();
  std::size_t i = 0;
  for (auto _ : state) {
    const canbao_person& c = in.structs[i++ & 255];
    canbao::Person p;
    p.sex = c.sex ? canbao::Sex::female : canbao::Sex::male;
    p.birth_date = canbao::Date::from_day_number(c.birth_day);
    p.hukou_local = c.hukou_local != 0;
    p.insurance_status = static_cast<canbao::InsuranceStatus>(c.insurance_status);
    p.employment = static_cast<canbao::Employment>(c.employment);
    std::string out = canbao::detail::to_json_value(canbao::recommend(*pol, p, as_of)).dump();
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_RecommendBatch1(benchmark::State& state) {
  const canbao_policy* p = policy(static_cast<int>(state.range(0)));
  const Persons& in = persons();
  std::size_t i = 0;
  canbao_recommendation r;
  for (auto _ : state) {
    if (canbao_recommend_batch(p, kAsOf, &in.structs[i++ & 255], 1, &r) != CANBAO_OK) std::abort();
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_RecommendColumns1(benchmark::State& state) {
  const canbao_policy* p = policy(static_cast<int>(state.range(0)));
  const Persons& in = persons();
  std::size_t i = 0;
  std::uint8_t scheme = 0, actions = 0, groups = 0;
  std::uint64_t fired = 0;
  const canbao_recommendation_columns out{CANBAO_ABI_VERSION, &scheme, &actions, &groups, &fired};
  for (auto _ : state) {
    const canbao_person& c = in.structs[i++ & 255];
    const canbao_person_columns cols{CANBAO_ABI_VERSION,
                                     1,
                                     &c.sex,
                                     &c.birth_day,
                                     &c.hukou_local,
                                     &c.insurance_status,
                                     &c.employment,
                                     &c.resident_grade_yuan,
                                     &c.flags};
    if (canbao_recommend_columns(p, kAsOf, &cols, &out) != CANBAO_OK) std::abort();
    benchmark::DoNotOptimize(scheme);
  }
  state.SetItemsProcessed(state.iterations());
}

// A roster of a million persons through the C ABI's column calls (issue 15:
// what fired rows cost): range 0 = 0 canbao_recommend_columns without
// fired_rows, 1 with; 2 canbao_recommend_table without either fired output,
// 3 with fired_rows, 4 with the narrow fired_set (one byte a person).
struct Roster {
  static constexpr std::size_t kCount = 1'000'000;
  std::vector<std::uint8_t> sex, hukou, status, employment, flags, scheme, actions, groups, set;
  std::vector<std::int32_t> birth;
  std::vector<std::uint16_t> grade;
  std::vector<std::uint64_t> fired;
  Roster()
      : sex(kCount),
        hukou(kCount),
        status(kCount),
        employment(kCount),
        flags(kCount),
        scheme(kCount),
        actions(kCount),
        groups(kCount),
        set(kCount),
        birth(kCount),
        grade(kCount),
        fired(kCount) {
    const Persons& p = persons();
    for (std::size_t i = 0; i < kCount; ++i) {
      const canbao_person& c = p.structs[(i * 7919) & 255];
      sex[i] = c.sex, hukou[i] = c.hukou_local, status[i] = c.insurance_status;
      employment[i] = c.employment, flags[i] = c.flags, grade[i] = c.resident_grade_yuan;
      birth[i] = c.birth_day + static_cast<std::int32_t>(i % 97);
    }
  }
};

void BM_RosterColumns(benchmark::State& state) {
  static Roster r;
  const canbao_policy* p = policy(0);
  const int mode = static_cast<int>(state.range(0));
  const canbao_person_columns cols{CANBAO_ABI_VERSION,  Roster::kCount, r.sex.data(),
                                   r.birth.data(),      r.hukou.data(), r.status.data(),
                                   r.employment.data(), r.grade.data(), r.flags.data()};
  const canbao_recommendation_columns out{CANBAO_ABI_VERSION, r.scheme.data(), r.actions.data(),
                                          r.groups.data(), mode == 1 ? r.fired.data() : nullptr};
  const canbao_named_column named[] = {{"sex", CANBAO_COLUMN_U8, r.sex.data()},
                                       {"birth_day", CANBAO_COLUMN_I32, r.birth.data()},
                                       {"hukou_local", CANBAO_COLUMN_U8, r.hukou.data()},
                                       {"insurance_status", CANBAO_COLUMN_U8, r.status.data()},
                                       {"employment", CANBAO_COLUMN_U8, r.employment.data()},
                                       {"resident_grade_yuan", CANBAO_COLUMN_U16, r.grade.data()},
                                       {"flags", CANBAO_COLUMN_U8, r.flags.data()}};
  const canbao_table_input in{sizeof(canbao_table_input), Roster::kCount, named, 7};
  canbao_table_output table{};
  table.struct_size = sizeof table;
  table.scheme = r.scheme.data(), table.actions = r.actions.data(), table.groups = r.groups.data();
  table.fired_rows = mode == 3 ? r.fired.data() : nullptr;
  table.fired_row_words = 1;
  table.fired_set = mode == 4 ? r.set.data() : nullptr;
  for (auto _ : state) {
    const canbao_status s = mode <= 1 ? canbao_recommend_columns(p, kAsOf, &cols, &out)
                                      : canbao_recommend_table(p, kAsOf, &in, &table);
    if (s != CANBAO_OK) std::abort();
    benchmark::DoNotOptimize(r.scheme.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(Roster::kCount));
}

// The floor: 004 三(二)1's age rule written by hand in C style: under 45
// (men) or 40 (women) on the as-of day -> the employee scheme, else the
// resident scheme. A birth-day cut-off per sex, as the batch tables make.
struct AgeRule {
  std::int32_t cut[2];  // born after cut[sex]: under the age
};
extern "C" __attribute__((noinline)) void age_rule(const AgeRule* rule, const canbao_person* p,
                                                   canbao_recommendation* out) {
  std::memset(out, 0, sizeof *out);
  if (p->sex > 1) return;
  if (p->birth_day > rule->cut[p->sex]) {
    out->scheme = CANBAO_SCHEME_EMPLOYEE;
    out->actions = CANBAO_ACTION_ENROLL_EMPLOYEE;
  } else {
    out->scheme = CANBAO_SCHEME_RESIDENT;
    out->actions = CANBAO_ACTION_ENROLL_RESIDENT;
  }
}

void BM_BaselineAgeRule(benchmark::State& state) {
  const AgeRule rule{{day(1978, 6, 30), day(1983, 6, 30)}};
  const Persons& in = persons();
  std::size_t i = 0;
  canbao_recommendation r;
  for (auto _ : state) {
    age_rule(&rule, &in.structs[i++ & 255], &r);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}

}  // namespace

BENCHMARK(BM_RecommendOne)->Name("RecommendOne/age_rule")->Arg(0);
BENCHMARK(BM_RecommendOne)->Name("RecommendOne/retirement_rule")->Arg(1);
// Many host threads on one policy: the per-call path must not serialise them.
BENCHMARK(BM_RecommendOne)
    ->Name("RecommendOne/age_rule/threads")
    ->Arg(0)
    ->ThreadRange(1, 2)
    ->UseRealTime();
BENCHMARK(BM_CallJson)->Name("CallJson/age_rule")->Args({0, 0});
BENCHMARK(BM_CallJson)->Name("CallJson/retirement_rule")->Args({1, 0});
BENCHMARK(BM_CallJson)->Name("CallJsonGeneralPath/age_rule")->Args({0, 1});
BENCHMARK(BM_CallJson)->Name("CallJsonGeneralPath/retirement_rule")->Args({1, 1});
BENCHMARK(BM_OldRecommendPipeline)->Name("OldRecommendPipeline/age_rule")->Arg(0);
BENCHMARK(BM_OldRecommendPipeline)->Name("OldRecommendPipeline/retirement_rule")->Arg(1);
BENCHMARK(BM_RecommendBatch1)->Name("RecommendBatch1/age_rule")->Arg(0);
BENCHMARK(BM_RecommendBatch1)->Name("RecommendBatch1/retirement_rule")->Arg(1);
BENCHMARK(BM_RecommendColumns1)->Name("RecommendColumns1/age_rule")->Arg(0);
BENCHMARK(BM_RecommendColumns1)->Name("RecommendColumns1/retirement_rule")->Arg(1);
BENCHMARK(BM_BaselineAgeRule)->Name("BaselineAgeRule");
BENCHMARK(BM_RosterColumns)->Name("Columns/1M/no_fired")->Arg(0)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RosterColumns)->Name("Columns/1M/fired_rows")->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RosterColumns)->Name("Table/1M/no_fired")->Arg(2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RosterColumns)->Name("Table/1M/fired_rows")->Arg(3)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RosterColumns)->Name("Table/1M/fired_set")->Arg(4)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
