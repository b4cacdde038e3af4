// Date parsing: ISO (parse_iso_date) vs office dates (parse_office_date) vs a
// plain sscanf baseline, and what Boost.Date_Time's parsers would cost for the
// same texts (the decision in docs/architecture.md, "Boost.Date_Time").
// Items are dates; each run parses the same 4,096 texts.
//   build-*/benchmarks/bench_dates
#include <benchmark/benchmark.h>

#include <cstdio>
#include <locale>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <boost/date_time/gregorian/gregorian.hpp>

#include <canbao/date.hpp>
#include <canbao/date_boost.hpp>

namespace {

using canbao::Date;

enum class Form { iso, slash, slash_padded, chinese };

// 4,096 days of 1950..2049 written in one form.
const std::vector<std::string>& texts(Form form) {
  static std::vector<std::string> all[4];
  std::vector<std::string>& out = all[static_cast<int>(form)];
  if (out.empty()) {
    std::mt19937 rng(7);
    const std::int32_t lo = Date::from_ymd(1950, 1, 1)->day_number();
    for (int i = 0; i < 4096; ++i) {
      const Date d = Date::from_day_number(lo + static_cast<std::int32_t>(rng() % 36500));
      const canbao::YearMonthDay v = d.ymd();
      char buf[40];
      switch (form) {
        case Form::iso:
          std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", v.year, v.month, v.day);
          break;
        case Form::slash:
          std::snprintf(buf, sizeof buf, "%d/%d/%d", v.year, v.month, v.day);
          break;
        case Form::slash_padded:
          std::snprintf(buf, sizeof buf, "%04d/%02d/%02d", v.year, v.month, v.day);
          break;
        case Form::chinese:
          std::snprintf(buf, sizeof buf, "%d年%d月%d日", v.year, v.month, v.day);
          break;
      }
      out.emplace_back(buf);
    }
  }
  return out;
}

template <class Parse>
void run(benchmark::State& state, Form form, Parse parse) {
  const std::vector<std::string>& in = texts(form);
  for (auto _ : state) {
    std::int64_t sum = 0;
    for (const std::string& t : in) sum += parse(t);
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(in.size()));
}

void BM_IsoParse(benchmark::State& state) {
  run(state, Form::iso,
      [](const std::string& t) { return canbao::parse_iso_date(t)->day_number(); });
}
BENCHMARK(BM_IsoParse);

void BM_OfficeParse_Iso(benchmark::State& state) {
  run(state, Form::iso,
      [](const std::string& t) { return canbao::parse_office_date(t)->day_number(); });
}
BENCHMARK(BM_OfficeParse_Iso);

void BM_OfficeParse_Slash(benchmark::State& state) {
  run(state, Form::slash,
      [](const std::string& t) { return canbao::parse_office_date(t)->day_number(); });
}
BENCHMARK(BM_OfficeParse_Slash);

void BM_OfficeParse_Chinese(benchmark::State& state) {
  run(state, Form::chinese,
      [](const std::string& t) { return canbao::parse_office_date(t)->day_number(); });
}
BENCHMARK(BM_OfficeParse_Chinese);

// The floor: sscanf and Date::from_ymd, no shape or range checks.
void BM_SscanfBaseline_Slash(benchmark::State& state) {
  run(state, Form::slash, [](const std::string& t) {
    int y = 0, m = 0, d = 0;
    if (std::sscanf(t.c_str(), "%d/%d/%d", &y, &m, &d) != 3) return std::int32_t{0};
    return Date::from_ymd(y, m, d)->day_number();
  });
}
BENCHMARK(BM_SscanfBaseline_Slash);

// Boost.Date_Time's delimited-date parser (accepts mixed separators, month
// names and extra fields, so it would need canbao's scan in front anyway).
void BM_BoostFromString_Slash(benchmark::State& state) {
  run(state, Form::slash, [](const std::string& t) {
    return canbao::from_boost(boost::gregorian::from_string(t)).day_number();
  });
}
BENCHMARK(BM_BoostFromString_Slash);

// Boost.Date_Time's input facet, one reused stream: it reads only zero-padded
// months and days ("2021/06/01", not "2021/6/1").
void BM_BoostFacet_SlashPadded(benchmark::State& state) {
  std::istringstream in;
  in.imbue(std::locale(std::locale::classic(), new boost::gregorian::date_input_facet("%Y/%m/%d")));
  run(state, Form::slash_padded, [&in](const std::string& t) {
    in.clear();
    in.str(t);
    boost::gregorian::date d;
    in >> d;
    return canbao::from_boost(d).day_number();
  });
}
BENCHMARK(BM_BoostFacet_SlashPadded);

}  // namespace

BENCHMARK_MAIN();
