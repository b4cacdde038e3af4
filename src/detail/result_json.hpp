// The JSON form of every result the JSON API returns, as nlohmann values. One
// builder per result, shared by the public write_*_json stream writers
// (report.hpp, compare.hpp, result_json.hpp) and by call_json (json_api.cpp),
// so the two print the same bytes and call_json never re-parses text.
// Internal: the public headers do not include nlohmann.
#pragma once

#include <cstddef>
#include <functional>
#include <iosfwd>
#include <string>
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

// The big arrays of a result (one element per unit: a national report has
// millions) written element by element: a builder given JsonHoles puts a
// marker string where such an array goes, and write_json_streamed writes the
// elements there as text (json_text_writer.hpp), chunks of them formatted on
// the machine's cores and written in order. The bytes are those of the whole
// DOM's dump (report_json_stream.cpp).
class JsonHoles {
 public:
  // Appends element i's compact JSON text, as nlohmann's dump() would print it.
  using Element = std::function<void(std::size_t, std::string&)>;
  struct Hole {
    std::string marker;  // the marker as dump() prints it
    std::size_t size;
    Element element;
  };
  // The array [element(0), ..., element(size - 1)]: in full without holes
  // (each element's text parsed: pretty printing and call_json), else a
  // marker for it.
  static nlohmann::json array(JsonHoles* holes, std::size_t size, Element element);
  const std::vector<Hole>& holes() const { return holes_; }

 private:
  std::vector<Hole> holes_;
};

// Writes `build(holes)` as write_json_value does; with indent -1 through
// JsonHoles, else from the whole DOM. `threads` formats the elements (0: the
// machine's cores); the bytes never depend on it.
void write_json_streamed(const std::function<nlohmann::json(JsonHoles*)>& build, std::ostream& out,
                         int indent, unsigned threads = 0);

nlohmann::json to_json_value(const Phase& phase);
nlohmann::json to_json_value(const std::vector<const Phase*>& phases);
nlohmann::json to_json_value(const Recommendation& rec);
nlohmann::json to_json_value(const WorkFundResult& work_fund, Date as_of,
                             JsonHoles* holes = nullptr);
nlohmann::json to_json_value(const Ranking& ranking, JsonHoles* holes = nullptr);
nlohmann::json to_json_value(const std::vector<MilestoneResult>& milestones);
nlohmann::json to_json_value(const std::vector<UnitCompletion>& completions,
                             JsonHoles* holes = nullptr);
nlohmann::json to_json_value(const CampaignReport& report, JsonHoles* holes = nullptr);
nlohmann::json to_json_value(const RetirementSchedule& schedule);
nlohmann::json to_json_value(const ResidentId& id);
nlohmann::json to_json_value(const ReformComparison& comparison);  // compare_writers.cpp
nlohmann::json to_json_value(const ProjectionReport& projections,  // projection_json.cpp
                             JsonHoles* holes = nullptr);
// metric_values_writers.cpp:
nlohmann::json to_json_value(const std::vector<MetricValue>& values);
// report_action_json.cpp: CampaignReport::action.
nlohmann::json to_json_value(const ActionReport& action, JsonHoles* holes = nullptr);

// What every write_*_json does with a built value: dump with `indent` (-1: one
// line) and end the line.
void write_json_value(const nlohmann::json& value, std::ostream& out, int indent);

}  // namespace canbao::detail
