// The campaign report: everything known about a campaign as of one day, in one
// plain struct, and the writers that print it. make_report only gathers the
// results of the evaluation functions (calendar.hpp, evaluation.hpp,
// ranking.hpp); it adds no rule. The writers only format: they read the policy
// for names and rule parameters (tier deadlines, grade names) and never
// evaluate anything themselves.
#pragma once

#include <canbao/export.hpp>

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include <canbao/calendar.hpp>
#include <canbao/date.hpp>
#include <canbao/evaluation.hpp>
#include <canbao/late_reports.hpp>
#include <canbao/progress.hpp>
#include <canbao/projection.hpp>
#include <canbao/ranking.hpp>
#include <canbao/ratio.hpp>
#include <canbao/report_action.hpp>

namespace canbao {

// One milestone's results plus, for each unit in scope, the metric's value on
// the due date (on as_of when the due date is later): the figure an official
// compares with the threshold. Nothing when the value is undefined there.
struct MilestoneReport {
  MilestoneResult result;
  std::vector<std::optional<Ratio>> value_on_due;  // parallel to result.units
  std::string segment{};  // the milestone's segment id (its figures are that segment's), or empty
};

// A one-off deadline (calendar.hpp) as of the report's day.
struct DeadlineReport {
  Deadline deadline;
  std::int32_t days_left = 0;  // due - as_of: 0 on the due day, negative once passed
};

// One segment's own figures as of the report's day (progress rows that carried
// the segment, rolled up like the whole): the metrics it has rows of (and the
// rates over two of them), for the units that have a figure.
struct SegmentReport {
  int segment = -1;  // index into Campaign::segments
  std::string segment_id;
  std::vector<int> metrics;  // policy order
  std::vector<std::string> metric_ids;
  std::vector<int> units;  // policy order
  std::vector<std::string> unit_ids;
  std::vector<std::vector<std::optional<Ratio>>> values;  // [unit][metric], as of as_of
};

struct CampaignReport {
  std::string campaign_id;
  std::string campaign_title;
  int campaign_year = 0;
  std::string policy_fingerprint;  // SHA-256 of the canonical policy: which exact rules
  Date as_of;
  std::vector<Phase> active_phases;                          // phases_on(as_of), policy order
  std::optional<ReportingDeadline> next_reporting_deadline;  // first due on or after as_of
  std::vector<DeadlineReport> deadlines{};                   // every one-off deadline, date order
  std::vector<SegmentReport> segments{};                     // segments with rows, policy order
  std::vector<UnitCompletion> completions;                   // every unit, policy order
  std::vector<MilestoneReport> milestones;                   // policy order
  std::optional<WorkFundResult> work_fund;                   // when the policy has a work_fund
  std::optional<Ranking> ranking;                            // when the policy has scoring
  std::optional<ProjectionReport> projections{};             // estimates (projection.hpp)
  // 迟报: the reports of passed reporting deadlines that came in late or not at
  // all (check_reporting, late_reports.hpp), deadline order then unit order;
  // and how many others do not say when they came in (neither late nor on time).
  std::vector<ReportingCheck> late_reports{};
  std::int64_t reports_unknown = 0;
  // What each unit still has to do and the summary at the top of the report
  // (report_action.hpp): targets and shortfalls, money at stake, standings,
  // and whether grades and ranks are provisional (action.summary.provisional).
  ActionReport action{};
};

// Gathers the report for `as_of` from the progress (and the policy it was read
// against). Throws what the evaluations throw (PolicyError, OverflowError).
// Which evaluated sections a report gathers: `canbao score` needs no payouts,
// so a work-fund overflow does not stop scoring (and the reverse).
struct ReportParts {
  bool milestones = true;
  bool work_fund = true;
  bool ranking = true;
  bool projections = true;
  std::optional<int> projection_observations{};  // overrides the policy's N (projection.hpp)
};
CANBAO_API CampaignReport make_report(const Progress& progress, Date as_of,
                                      const ReportParts& parts = {});

// The human report (UTF-8 text): Chinese headings with English in brackets,
// unit names next to ids, yuan with two decimals, tables aligned by display
// width (CJK characters take two columns). `policy` must be the policy the
// report was made from (names, tiers, grade names). Deterministic.
CANBAO_API void write_report_text(const CampaignReport& report, const Policy& policy,
                                  std::ostream& out);

// Parts of the same report, for `canbao payouts` and `canbao score`: the
// header (title, as_of, policy fingerprint) and single sections, which print
// nothing when the report lacks that part.
CANBAO_API void write_report_header(const CampaignReport& report, std::ostream& out);
CANBAO_API void write_work_fund_text(const CampaignReport& report, const Policy& policy,
                                     std::ostream& out);
CANBAO_API void write_ranking_text(const CampaignReport& report, const Policy& policy,
                                   std::ostream& out);
// The projections section (docs/projections.md), headed "预测 [projections]";
// nothing when the report has none.
CANBAO_API void write_projections_text(const CampaignReport& report, const Policy& policy,
                                       std::ostream& out);

// The action part (report_action.hpp; write_report_text prints both): the
// summary "摘要 [summary]" printed right under the header, and the action table
// "七、行动清单 [action list]" (units worst first: targets, shortfalls, daily
// rates needed, money still at stake). Nothing for an empty ActionReport.
CANBAO_API void write_summary_text(const CampaignReport& report, const Policy& policy,
                                   std::ostream& out);
CANBAO_API void write_action_text(const CampaignReport& report, const Policy& policy,
                                  std::ostream& out);

// CSV (RFC 4180, UTF-8, header row, "\n" line ends). Payouts: one row per paid
// unit, then a total row with an empty unit_id; scores: one row per ranked
// unit in listing order. Columns are documented in docs/report.md.
CANBAO_API void write_payouts_csv(const WorkFundResult& work_fund, const Policy& policy,
                                  std::ostream& out);
CANBAO_API void write_scores_csv(const Ranking& ranking, const Policy& policy, std::ostream& out);

// JSON (UTF-8, keys documented in docs/report.md): the values call_json answers
// for "report", "payouts" and "scores", then a newline; indent -1 writes one
// line, the bytes of call_json. Units appear by id (a program joins names
// from the policy). Milestones and completions are the report's parts of the
// same name; `as_of` of a work fund is the day it was evaluated for.
CANBAO_API void write_report_json(const CampaignReport& report, std::ostream& out, int indent = 2);
CANBAO_API void write_work_fund_json(const WorkFundResult& work_fund, Date as_of, std::ostream& out,
                                     int indent = 2);
CANBAO_API void write_ranking_json(const Ranking& ranking, std::ostream& out, int indent = 2);
CANBAO_API void write_milestones_json(const std::vector<MilestoneResult>& milestones,
                                      std::ostream& out, int indent = 2);
// The value call_json answers for "projections" (docs/projections.md).
CANBAO_API void write_projections_json(const ProjectionReport& projections, std::ostream& out,
                                       int indent = 2);
CANBAO_API void write_completions_json(const std::vector<UnitCompletion>& completions,
                                       std::ostream& out, int indent = 2);

// Columns a UTF-8 string takes in a terminal: East Asian Wide and Fullwidth
// characters (CJK ideographs, fullwidth forms, ...) count 2, combining marks
// 0, everything else 1. Invalid UTF-8 bytes count 1 each.
CANBAO_API int display_width(const std::string& utf8);

}  // namespace canbao
