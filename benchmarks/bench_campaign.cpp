// A synthetic national campaign: 31 provinces, ~300 counties, towns of ~17
// villages, 12 monthly observations of 3 count metrics per village. Times
// completion dates + work-fund payouts + scores + ranking per village, next to
// a plain baseline (std::map per unit and metric, the way a spreadsheet
// export is usually loaded) computing completion dates and payouts only.
//
//   build-eval/benchmarks/bench_campaign --benchmark_filter='/7000$'  # a few seconds
//   build-eval/benchmarks/bench_campaign                             # national: ~1 GB RAM
#include <canbao/projection.hpp>
#include <canbao/ranking.hpp>
#include <canbao/report.hpp>

#include <benchmark/benchmark.h>

#include "detail/model_access.hpp"  // builds the model by hand, as the loader does

#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <ostream>
#include <streambuf>

using namespace canbao;

namespace {

constexpr int villages_per_town = 17;
constexpr int months = 12;

struct Campaign {
  PolicyPtr policy;
  std::unique_ptr<Progress> progress;
  ObservationColumns columns;  // kept for the baseline
  int villages = 0;
};

int add_unit(Policy& p, const std::string& id, const std::string& level, int parent) {
  Unit u;
  u.id = id;
  u.name = id;
  u.level = level;
  detail::ModelAccess::parent_index(u) = parent;
  detail::ModelAccess::depth(u) =
      parent < 0 ? 0 : p.units.units[static_cast<std::size_t>(parent)].depth() + 1;
  const int index = static_cast<int>(p.units.units.size());
  if (parent >= 0) {
    u.parent = p.units.units[static_cast<std::size_t>(parent)].id;
    detail::ModelAccess::children(p.units.units[static_cast<std::size_t>(parent)]).push_back(index);
  } else {
    detail::ModelAccess::roots(p.units).push_back(index);
  }
  detail::ModelAccess::order(p.units).push_back(index);  // parents are always added before children
  p.units.units.push_back(std::move(u));
  detail::ModelAccess::add_to_index(p.units, index);
  return index;
}

Date day(int y, int m, int d) { return *Date::from_ymd(y, m, d); }

// Deterministic pseudo-random numbers (no <random> distribution differences).
std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  return x;
}

Campaign& campaign(int villages) {
  static std::map<int, std::unique_ptr<Campaign>> cache;
  auto& slot = cache[villages];
  if (slot) return *slot;
  slot = std::make_unique<Campaign>();
  Campaign& c = *slot;
  c.villages = villages;
  auto p = std::make_shared<Policy>();
  p->campaign.id = "national";
  p->campaign.year = 2021;
  for (const char* id : {"resident_should_enroll", "resident_enrolled", "resident_paid"}) {
    Metric m;
    m.id = id;
    m.kind = MetricKind::count;
    p->metrics.push_back(m);
  }
  const int towns = (villages + villages_per_town - 1) / villages_per_town;
  const int counties = std::max(31, towns / 130);
  std::vector<int> province, county;
  const int root = add_unit(*p, "nation", "nation", -1);
  for (int i = 0; i < 31; ++i)
    province.push_back(add_unit(*p, "p" + std::to_string(i), "province", root));
  for (int i = 0; i < counties; ++i)
    county.push_back(add_unit(*p, "c" + std::to_string(i), "county",
                              province[static_cast<std::size_t>(i % 31)]));
  std::vector<int> town;
  for (int i = 0; i < towns; ++i)
    town.push_back(add_unit(*p, "t" + std::to_string(i), "town",
                            county[static_cast<std::size_t>(i % counties)]));
  Scope village_scope;
  village_scope.kind = Scope::Kind::level;
  village_scope.level = "village";
  for (int v = 0; v < villages; ++v) {
    const int u = add_unit(*p, "v" + std::to_string(v), "village",
                           town[static_cast<std::size_t>(v / villages_per_town)]);
    const std::int64_t should =
        500 + static_cast<std::int64_t>(mix(static_cast<std::uint64_t>(v)) % 2000);
    Unit& unit = p->units.units[static_cast<std::size_t>(u)];
    unit.targets.push_back(detail::ModelAccess::target(
        "resident_enrolled", 1, Ratio(should * 92 / 100), TargetOrigin::given));
    unit.targets.push_back(detail::ModelAccess::target("resident_paid", 2, Ratio(should * 75 / 100),
                                                       TargetOrigin::given));
    detail::ModelAccess::unit_indices(village_scope).push_back(u);
    // Monthly month-end observations; each village's pace differs so completion
    // dates spread over the tiers and beyond.
    const int pace = 80 + static_cast<int>(mix(static_cast<std::uint64_t>(v) + 7) %
                                           40);  // % of target by December
    for (int m = 0; m < months; ++m) {
      const std::int32_t d = last_day_of_month(2021, m + 1).day_number();
      const std::int64_t enrolled = should * (70 + (pace - 70 + 25) * m / (months - 1)) / 100;
      const std::int64_t paid = should * (20 + (pace - 20) * m / (months - 1)) / 100;
      const std::int64_t values[] = {should, enrolled, paid};
      for (int k = 0; k < 3; ++k) {
        c.columns.unit.push_back(u);
        c.columns.metric.push_back(k);
        c.columns.day.push_back(d);
        c.columns.value.push_back(values[k]);
      }
    }
  }
  Completion completion;
  for (auto [metric, index] : {std::pair{"resident_enrolled", 1}, std::pair{"resident_paid", 2}}) {
    Condition task;
    task.metric = metric;
    detail::ModelAccess::metric_index(task) = index;
    task.comparison = Comparison::ge;
    task.use_target = true;
    completion.tasks.push_back(task);
  }
  p->completion = completion;
  WorkFund w;
  for (auto [m, d, fen] :
       {std::tuple{9, 30, 100}, std::tuple{10, 15, 80}, std::tuple{11, 30, 60}}) {
    w.tiers.push_back(WorkFundTier{DateSpec{"", day(2021, m, d)}, Fen(fen)});
  }
  w.paid_units = village_scope;
  w.basis_metric = "resident_enrolled";
  detail::ModelAccess::basis_metric_index(w) = 1;
  p->work_fund = w;
  Scoring s;
  s.ranked_units = village_scope;
  for (auto [id, name, metric, index, weight] :
       {std::tuple{"enrollment", "参保", "resident_enrolled", 1, 60},
        std::tuple{"payment", "缴费", "resident_paid", 2, 40}}) {
    Indicator ind;
    ind.id = id;
    ind.name = name;
    ind.metric = metric;
    detail::ModelAccess::metric_index(ind) = index;
    ind.weight = Ratio(weight);
    ind.cap = Ratio(11, 10);
    s.indicators.push_back(ind);
  }
  s.timeliness.push_back(TimelinessBonus{DateSpec{"", day(2021, 9, 30)}, Ratio(10)});
  s.grades.push_back(GradeBand{"commend", "通报表扬", Ratio(100)});
  s.grades.push_back(GradeBand{"pass", "合格", Ratio(60)});
  s.tie_breakers.push_back(TieBreaker::earlier_completion);
  p->scoring = s;
  c.policy = p;
  c.progress = std::make_unique<Progress>(Progress::from_columns(p, c.columns));
  return c;
}

void BM_CampaignEvaluation(benchmark::State& state) {
  Campaign& c = campaign(static_cast<int>(state.range(0)));
  const Date as_of = day(2021, 12, 31);
  for (auto _ : state) {
    const auto completions = completion_dates(*c.progress, as_of);
    const WorkFundResult w = evaluate_work_fund(*c.progress, as_of, completions);
    const Ranking r = score_and_rank(*c.progress, as_of, completions);
    benchmark::DoNotOptimize(w.total);
    benchmark::DoNotOptimize(r.units.data());
  }
  state.SetItemsProcessed(state.iterations() * c.villages);
  state.counters["villages"] = c.villages;
}

// Projections mid-campaign (issue 12): as of 2021-08-15 most villages are
// unfinished, so each gets a least-squares line per completion task and a
// day-by-day search for its projected completion and tier. Compare with
// BM_CampaignEvaluation (the same villages evaluated as of year end).
void BM_ProjectCampaign(benchmark::State& state) {
  Campaign& c = campaign(static_cast<int>(state.range(0)));
  const Date as_of = day(2021, 8, 15);
  for (auto _ : state) {
    const ProjectionReport r = project_campaign(*c.progress, as_of);
    benchmark::DoNotOptimize(r.work_fund->total);
  }
  state.SetItemsProcessed(state.iterations() * c.villages);
  state.counters["villages"] = c.villages;
}

// Baseline: the same villages' completion dates and payouts from a
// std::map<(unit, metric), std::map<day, value>> built from the raw rows,
// scanning each village's months in order. No rollups, no scores.
void BM_BaselineMapCompletionAndPayout(benchmark::State& state) {
  Campaign& c = campaign(static_cast<int>(state.range(0)));
  const Policy& p = *c.policy;
  for (auto _ : state) {
    std::map<std::pair<int, int>, std::map<std::int32_t, std::int64_t>> series;
    for (std::size_t i = 0; i < c.columns.unit.size(); ++i) {
      series[{c.columns.unit[i], c.columns.metric[i]}][c.columns.day[i]] = c.columns.value[i];
    }
    std::int64_t total = 0;
    for (int u : p.work_fund->paid_units.unit_indices()) {
      const Unit& unit = p.units.units[static_cast<std::size_t>(u)];
      const auto& enrolled = series[{u, 1}];
      const auto& paid = series[{u, 2}];
      for (const auto& [d, e] : enrolled) {
        auto it = paid.upper_bound(d);
        const std::int64_t pd = it == paid.begin() ? 0 : std::prev(it)->second;
        if (Ratio(e) >= unit.targets[0].value && Ratio(pd) >= unit.targets[1].value) {
          for (const auto& t : p.work_fund->tiers) {
            if (d <= t.deadline.date.day_number()) {
              total += t.per_person.count() * e;
              break;
            }
          }
          break;
        }
      }
    }
    benchmark::DoNotOptimize(total);
  }
  state.SetItemsProcessed(state.iterations() * c.villages);
}

void BM_BuildProgress(benchmark::State& state) {
  Campaign& c = campaign(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    Progress g = Progress::from_columns(c.policy, c.columns);
    benchmark::DoNotOptimize(g.observation_count());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(c.columns.unit.size()));
  state.counters["observations"] = static_cast<double>(c.columns.unit.size());
}

// Baseline for BM_BuildProgress: the same rows into a std::map per (unit,
// metric), no validation and no rollups.
void BM_BaselineMapBuild(benchmark::State& state) {
  Campaign& c = campaign(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    std::map<std::pair<int, int>, std::map<std::int32_t, std::int64_t>> series;
    for (std::size_t i = 0; i < c.columns.unit.size(); ++i)
      series[{c.columns.unit[i], c.columns.metric[i]}][c.columns.day[i]] = c.columns.value[i];
    benchmark::DoNotOptimize(series.size());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(c.columns.unit.size()));
}

// Counts the bytes a writer prints and drops them (the writers, not a disk).
class CountingBuf : public std::streambuf {
 public:
  std::size_t bytes = 0;

 protected:
  int_type overflow(int_type c) override {
    ++bytes;
    return traits_type::not_eof(c);
  }
  std::streamsize xsputn(const char*, std::streamsize n) override {
    bytes += static_cast<std::size_t>(n);
    return n;
  }
};

const CampaignReport& report(Campaign& c) {
  static std::map<int, std::unique_ptr<CampaignReport>> cache;
  auto& slot = cache[c.villages];
  if (!slot) slot = std::make_unique<CampaignReport>(make_report(*c.progress, day(2021, 12, 31)));
  return *slot;
}

// `canbao report`'s evaluate stage: every part of the report as of year end.
void BM_MakeReport(benchmark::State& state) {
  Campaign& c = campaign(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    const CampaignReport r = make_report(*c.progress, day(2021, 12, 31));
    benchmark::DoNotOptimize(r.completions.data());
  }
  state.SetItemsProcessed(state.iterations() * c.villages);
}

// `canbao report --format json`'s write stage (one line, as the CLI writes it).
void BM_ReportJson(benchmark::State& state) {
  Campaign& c = campaign(static_cast<int>(state.range(0)));
  const CampaignReport& r = report(c);
  CountingBuf sink;
  std::ostream out(&sink);
  for (auto _ : state) write_report_json(r, out, -1);
  state.SetItemsProcessed(state.iterations() * c.villages);
  state.SetBytesProcessed(static_cast<std::int64_t>(sink.bytes));
}

// The read stage of `canbao payouts` / `report`: the campaign's rows as a
// progress CSV file (ISO dates, plain numbers, rows of a unit together), read
// and indexed by read_progress_csv_file.
void BM_ReadProgressCsvFile(benchmark::State& state) {
  Campaign& c = campaign(static_cast<int>(state.range(0)));
  const std::string path = "/tmp/canbao-bench-progress-" + std::to_string(c.villages) + ".csv";
  {
    std::ofstream out(path, std::ios::binary);
    out << "unit_id,metric,date,value\n";
    for (std::size_t i = 0; i < c.columns.unit.size(); ++i) {
      out << c.policy->units.units[static_cast<std::size_t>(c.columns.unit[i])].id << ','
          << c.policy->metrics[static_cast<std::size_t>(c.columns.metric[i])].id << ','
          << Date::from_day_number(c.columns.day[i]).iso() << ',' << c.columns.value[i] << '\n';
    }
  }
  for (auto _ : state) {
    const Progress g = read_progress_csv_file(c.policy, path);
    benchmark::DoNotOptimize(g.observation_count());
  }
  std::remove(path.c_str());
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(c.columns.unit.size()));
}

// `canbao payouts --format csv`'s write stage.
void BM_PayoutsCsv(benchmark::State& state) {
  Campaign& c = campaign(static_cast<int>(state.range(0)));
  const CampaignReport& r = report(c);
  CountingBuf sink;
  std::ostream out(&sink);
  for (auto _ : state) write_payouts_csv(*r.work_fund, *c.policy, out);
  state.SetItemsProcessed(state.iterations() * c.villages);
  state.SetBytesProcessed(static_cast<std::int64_t>(sink.bytes));
}

// Baseline for both writers: snprintf of each payout's CSV row (ids, dates as
// day numbers, fen as integers: no quoting, no yuan) into one buffer.
void BM_BaselineSnprintfPayouts(benchmark::State& state) {
  Campaign& c = campaign(static_cast<int>(state.range(0)));
  const CampaignReport& r = report(c);
  CountingBuf sink;
  std::ostream out(&sink);
  std::string buf;
  for (auto _ : state) {
    buf.clear();
    for (const WorkFundPayout& p : r.work_fund->payouts) {
      char row[256];
      const int n = std::snprintf(
          row, sizeof row, "%s,%d,%d,%d,%lld,%lld,%d,%lld\n", p.unit_id.c_str(),
          p.completed_on ? p.completed_on->day_number() : -1, static_cast<int>(p.status), p.tier,
          static_cast<long long>(p.per_person.count()), static_cast<long long>(p.basis),
          p.basis_on.day_number(), static_cast<long long>(p.amount.count()));
      buf.append(row, static_cast<std::size_t>(n));
      if (buf.size() >= (1u << 16)) {
        out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
        buf.clear();
      }
    }
    out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
  }
  state.SetItemsProcessed(state.iterations() * c.villages);
  state.SetBytesProcessed(static_cast<std::int64_t>(sink.bytes));
}

}  // namespace

BENCHMARK(BM_CampaignEvaluation)->Arg(7000)->Arg(700000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ProjectCampaign)->Arg(7000)->Arg(700000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BaselineMapCompletionAndPayout)->Arg(7000)->Arg(70000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BuildProgress)
    ->Arg(7000)
    ->Arg(70000)
    ->Arg(100000)
    ->Arg(700000)
    ->Unit(benchmark::kMillisecond);
// Issue 15's doors at 7k / 70k / 700k villages, each beside a plain baseline.
BENCHMARK(BM_BaselineMapBuild)->Arg(7000)->Arg(70000)->Arg(100000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MakeReport)->Arg(7000)->Arg(70000)->Arg(700000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReadProgressCsvFile)->Arg(7000)->Arg(70000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReportJson)->Arg(7000)->Arg(70000)->Arg(700000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PayoutsCsv)->Arg(7000)->Arg(70000)->Arg(700000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BaselineSnprintfPayouts)
    ->Arg(7000)
    ->Arg(70000)
    ->Arg(700000)
    ->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
