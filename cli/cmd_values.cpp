// `canbao values`: any metric of any unit as of a day, with its target and
// shortfall (metric_values.hpp; issue 12: "What is the city's weighted average
// contribution today?").
#include <ostream>
#include <sstream>

#include <canbao/error.hpp>
#include <canbao/metric_values.hpp>

#include "campaign_input.hpp"
#include "command.hpp"
#include "output_options.hpp"

namespace {

const char* kUsage =
    "usage: canbao values POLICY --progress CSV --as-of DATE [--unit U] [--metric M]\n"
    "                     [--segment S] [--format text|json|csv] [--out FILE]\n"
    "                     [--bom|--no-bom]\n"
    "\n"
    "The value of every metric (or one) of every unit (or one) as of DATE, as the\n"
    "rules read it: a unit's own figure, or its children rolled up (counts add up,\n"
    "averages are weighted by their weight count, rates are the rolled-up numerator\n"
    "over the rolled-up denominator), with the unit's target and the shortfall.\n"
    "Observations after DATE are ignored.\n"
    "\n"
    "  POLICY        policy JSON (docs/policy-format.md)\n"
    "  --progress    progress CSV: unit_id,metric,date,value[,segment] (docs/progress.md)\n"
    "  --as-of       the day, YYYY-MM-DD (1900-01-01..2200-12-31)\n"
    "  --unit        one unit id (default: every unit, policy order)\n"
    "  --metric      one metric id (default: every metric, policy order)\n"
    "  --segment     a campaign.segments id: that segment's figures (no targets)\n"
    "  --format      text (default), json (the same bytes as call_json\n"
    "                {\"op\":\"values\",...}) or csv (columns in docs/values.md)\n"
    "  --out         write to FILE (whole or not at all) instead of standard output\n"
    "  --bom         start CSV with a UTF-8 byte order mark, for Excel on Chinese\n"
    "                Windows; on by default with --out, off on standard output\n"
    "                (--no-bom turns it off)\n"
    "\n"
    "example: canbao values examples/policies/001-chengjiang-2021.json \\\n"
    "           --progress examples/progress/001-chengjiang-2021.csv --as-of 2021-12-31 \\\n"
    "           --unit chengjiang --metric resident_contribution_avg\n";

std::string option(const canbao::cli::CampaignInput& in, const std::string& name) {
  const auto it = in.options.find(name);
  return it == in.options.end() ? std::string() : it->second;
}

int run(const std::vector<std::string>& argv, std::ostream& out, std::ostream&) {
  const canbao::cli::CampaignInput in = canbao::cli::read_campaign_input(
      argv, {"text", "json", "csv"}, {"--unit", "--metric", "--segment"});
  canbao::MetricQuery q;
  q.unit = option(in, "--unit");
  q.metric = option(in, "--metric");
  q.segment = option(in, "--segment");
  const canbao::Progress progress = canbao::cli::read_campaign_progress(in);
  std::vector<canbao::MetricValue> values;
  try {
    values = canbao::metric_values(progress, in.as_of, q);
  } catch (const canbao::ArgumentError& e) {
    throw canbao::ArgumentError("--" + e.where(), e.message());  // "--unit: no unit ..."
  }
  std::ostringstream text;
  if (in.format == "json") {
    canbao::write_metric_values_json(values, text, -1);
  } else if (in.format == "csv") {
    canbao::write_metric_values_csv(values, *in.policy, text);
  } else {
    canbao::write_metric_values_text(values, *in.policy, in.as_of, text);
  }
  std::ostringstream masked;
  canbao::cli::write_masked(masked, text.str(), in);
  canbao::cli::emit(out, in.out_path, masked.str(), in.format == "csv" && in.bom);
  return 0;
}

}  // namespace

CANBAO_REGISTER_COMMAND(canbao::cli::Command{
    "values", "any metric of any unit as of a day, with its target and shortfall", kUsage, run});
