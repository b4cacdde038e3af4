// `canbao report`'s evaluate stage on a real campaign, alone: make_report
// between a built Progress and the CampaignReport, timed apart from the
// policy load and the progress read (which bench-national.sh times with them).
//
//   bench_report_stage POLICY PROGRESS AS_OF [REPEATS]
//
// Prints the load, read and each make_report's wall and CPU time, and the heap the
// report holds (malloc's in-use bytes after minus before), so a change to the
// evaluation is measured without the writers and the readers around it.
#include <malloc.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include <canbao/date.hpp>
#include <canbao/evaluation.hpp>
#include <canbao/late_reports.hpp>
#include <canbao/policy.hpp>
#include <canbao/progress.hpp>
#include <canbao/projection.hpp>
#include <canbao/ranking.hpp>
#include <canbao/report.hpp>

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// The process's user + system seconds: on a loaded machine the wall time
// measures the other processes too.
double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

double heap_mb() {
  const struct mallinfo2 m = mallinfo2();
  return static_cast<double>(m.uordblks + m.hblkhd) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: bench_report_stage POLICY PROGRESS AS_OF [REPEATS]\n");
    return 2;
  }
  const int repeats = argc > 4 ? std::max(1, std::atoi(argv[4])) : 3;
  auto t0 = std::chrono::steady_clock::now();
  const canbao::PolicyPtr policy = canbao::load_policy_file(argv[1]);
  std::printf("load      %8.3f s  heap %8.1f MB\n", seconds_since(t0), heap_mb());
  t0 = std::chrono::steady_clock::now();
  const canbao::Progress progress = canbao::read_progress_csv_file(policy, argv[2]);
  std::printf("progress  %8.3f s  heap %8.1f MB\n", seconds_since(t0), heap_mb());
  const std::optional<canbao::Date> day = canbao::parse_iso_date(argv[3]);
  if (!day) {
    std::fprintf(stderr, "AS_OF: expected YYYY-MM-DD, got \"%s\"\n", argv[3]);
    return 2;
  }
  const canbao::Date as_of = *day;
  double best = 1e300, best_cpu = 1e300;
  for (int i = 0; i < repeats; ++i) {
    const double before = heap_mb();
    t0 = std::chrono::steady_clock::now();
    const double c0 = cpu_seconds();
    const canbao::CampaignReport r = canbao::make_report(progress, as_of);
    const double s = seconds_since(t0);
    const double cpu = cpu_seconds() - c0;
    best = std::min(best, s);
    best_cpu = std::min(best_cpu, cpu);
    std::printf("evaluate  %8.3f s  cpu %8.3f s  report heap %8.1f MB (%zu completions)\n", s, cpu,
                heap_mb() - before, r.completions.size());
  }
  std::printf("evaluate min %.3f s wall, %.3f s cpu over %d\n", best, best_cpu, repeats);
  // CPU seconds of each part on its own (the public functions make_report calls).
  auto part_cpu = [](const char* name, auto&& fn) {
    const double c0 = cpu_seconds();
    fn();
    std::printf("  cpu  %-12s %8.3f s\n", name, cpu_seconds() - c0);
  };
  std::vector<canbao::UnitCompletion> completions;
  part_cpu("completions", [&] { completions = canbao::completion_dates(progress, as_of); });
  part_cpu("milestones", [&] { (void)canbao::evaluate_milestones(progress, as_of); });
  if (policy->work_fund)
    part_cpu("work_fund", [&] { (void)canbao::evaluate_work_fund(progress, as_of, completions); });
  if (policy->scoring)
    part_cpu("ranking", [&] { (void)canbao::score_and_rank(progress, as_of, completions); });
  part_cpu("projections", [&] { (void)canbao::project_campaign(progress, as_of); });
  part_cpu("late_reports", [&] { (void)canbao::check_reporting(progress, as_of); });
  // What each part of the report holds: the heap freed when it is dropped.
  canbao::CampaignReport r = canbao::make_report(progress, as_of);
  auto drop = [](const char* name, auto& part) {
    const double before = heap_mb();
    { auto gone = std::move(part); }
    std::printf("  part %-12s %8.1f MB\n", name, before - heap_mb());
  };
  drop("action", r.action);
  drop("projections", r.projections);
  drop("ranking", r.ranking);
  drop("work_fund", r.work_fund);
  drop("milestones", r.milestones);
  drop("completions", r.completions);
  drop("segments", r.segments);
  drop("late_reports", r.late_reports);
  return 0;
}
