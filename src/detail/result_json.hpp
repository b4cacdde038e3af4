// The JSON form of every result the JSON API returns, as nlohmann values. One
// builder per result, shared by the public write_*_json stream writers
// (report.hpp, compare.hpp, result_json.hpp) and by call_json (json_api.cpp),
// so the two print the same bytes and call_json never re-parses text.
// Internal: the public headers do not include nlohmann.
#pragma once

#include <iosfwd>
#include <vector>

#include <nlohmann/json.hpp>

#include <canbao/calendar.hpp>
#include <canbao/compare.hpp>
#include <canbao/date.hpp>
#include <canbao/evaluation.hpp>
#include <canbao/metric_values.hpp>
#include <canbao/projection.hpp>
#include <canbao/ranking.hpp>
#include <canbao/recommendation.hpp>
#include <canbao/report.hpp>
#include <canbao/resident_id.hpp>
#include <canbao/retirement.hpp>

namespace canbao::detail {

// "format_version" of the payouts, scores and report answers. 2: payouts[].tier
// counts from 1 (第1档 = 1), as text, CSV, compare and case files do; 1 counted from 0.
constexpr int kResultFormatVersion = 2;

nlohmann::json to_json_value(const Phase& phase);
nlohmann::json to_json_value(const std::vector<const Phase*>& phases);
nlohmann::json to_json_value(const Recommendation& rec);
nlohmann::json to_json_value(const WorkFundResult& work_fund, Date as_of);
nlohmann::json to_json_value(const Ranking& ranking);
nlohmann::json to_json_value(const std::vector<MilestoneResult>& milestones);
nlohmann::json to_json_value(const std::vector<UnitCompletion>& completions);
nlohmann::json to_json_value(const CampaignReport& report);
nlohmann::json to_json_value(const RetirementSchedule& schedule);
nlohmann::json to_json_value(const ResidentId& id);
nlohmann::json to_json_value(const ReformComparison& comparison);   // compare_writers.cpp
nlohmann::json to_json_value(const ProjectionReport& projections);  // projection_json.cpp
// metric_values_writers.cpp:
nlohmann::json to_json_value(const std::vector<MetricValue>& values);
// report_action_json.cpp: CampaignReport::action.
nlohmann::json to_json_value(const ActionReport& action);

// What every write_*_json does with a built value: dump with `indent` (-1: one
// line) and end the line.
void write_json_value(const nlohmann::json& value, std::ostream& out, int indent);

}  // namespace canbao::detail
