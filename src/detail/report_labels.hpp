// The labels the human campaign reports share (text: report_text.cpp, HTML:
// report_html.cpp): status names, tier and late-rule texts, unit labels and
// metric values as people read them. One definition, so the text and the HTML
// report never word the same fact differently.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <canbao/evaluation.hpp>
#include <canbao/milestone.hpp>
#include <canbao/policy.hpp>
#include <canbao/ranking.hpp>
#include <canbao/ratio.hpp>

namespace canbao::detail {

// "68.04%": a percentage truncated (not rounded) to two decimals, so a value
// just under a threshold never prints as reaching it (69.999% -> 69.99%).
std::string percent_truncated(const Ratio& r);

const Metric& metric_of(const Policy& p, int index);

// A metric value as its kind reads: rates as percentages, others as decimals;
// "—" for nothing.
std::string value_text(const Policy& p, int metric, const std::optional<Ratio>& v);

// "红旗村 hongqi": the unit's name, then its id.
std::string unit_label(const Policy& p, int unit);

std::string date_or(const std::optional<Date>& d, const std::string& none);

// "参保缴费率 ≥ 70.0000%", "城乡居民基本养老保险参保人数 ≥ 目标 [target]".
std::string condition_text(const Policy& p, const Condition& c);

// "按时完成", "逾期完成", ... (the legend under the milestones says what each means).
const char* milestone_status_zh(MilestoneStatus s);

// "第1档 (≤2021-09-30, 1.00元/人)" for tier index 0.
std::string tier_text(const WorkFundTier& t, std::size_t index);
// "逾期 (不予拨付)" or "逾期 (0.50元/人)".
std::string late_text(const LateRule& late);
// The tier text of one payout (a tier, the late rule or not yet complete).
std::string payout_tier_text(const WorkFund& wf, const WorkFundPayout& p);

// The grade's name in the policy ("通报批评"), its id when it has none, "—" for none.
std::string grade_name(const Scoring& s, const std::string& grade);

// A column of a human report table: the Chinese heading, the English under it,
// and whether it holds numbers (right-aligned).
struct ReportColumn {
  std::string zh, en;
  bool number = false;
};
// The ranking table (五、考核得分与排名): its columns, one unit's cells (the
// grade marked 暂定 while `provisional`), and the lines naming its missed targets.
std::vector<ReportColumn> ranking_columns(const Scoring& s);
std::vector<std::string> ranking_cells(const Policy& p, const Scoring& s, const UnitScore& u,
                                       bool provisional);
std::vector<std::string> missed_target_lines(const Policy& p, const UnitScore& u);

}  // namespace canbao::detail
