// `canbao costs`: what the campaign costs as of a day (docs/costs.md): the
// work fund and incentives from progress, subsidies and 代缴 from a roster's
// recommendations, 补缴 apart (collected). Roster row ids only, never ID numbers.
#include <fstream>
#include <optional>
#include <sstream>

#include <canbao/campaign_cost.hpp>
#include <canbao/detail/message_text.hpp>
#include <canbao/error.hpp>
#include <canbao/progress.hpp>
#include <canbao/recommender.hpp>
#include <canbao/roster.hpp>
#include <canbao/unit_counts.hpp>

#include "command.hpp"
#include "output_options.hpp"
#include "progress_bar.hpp"
#include "table_input.hpp"

namespace {

const char* kUsage =
    "usage: canbao costs POLICY --as-of DATE [--progress CSV] [--roster CSV]\n"
    "                    [--format text|json|csv] [--out FILE] [--bom|--no-bom] [--quiet]\n"
    "\n"
    "The campaign's cost as of DATE, in exact fen (docs/costs.md): the work fund and\n"
    "the policy's incentives from progress; the government's yearly subsidies by\n"
    "contribution grade and its 代缴 from the roster's recommendations; back pay (补缴)\n"
    "shown apart, as collected from persons. Totals per payer. Amounts the policy marks\n"
    "illustrative are marked \"(示例 illustrative)\" in text. Give --progress, --roster\n"
    "or both. A roster with a unit_id column adds per-unit totals.\n"
    "\n"
    "  POLICY        policy JSON (incentives, costs, work_fund sections)\n"
    "  --as-of       the day, YYYY-MM-DD\n"
    "  --progress    progress CSV: unit_id,metric,date,value\n"
    "  --roster      roster CSV (docs/roster.md)\n"
    "  --format      text (default), json (the same bytes as call_json\n"
    "                {\"op\":\"costs\",...}) or csv (docs/costs.md)\n"
    "  --out         write to FILE (whole or not at all) instead of standard output\n"
    "  --bom         start CSV with a UTF-8 byte order mark, for Excel on Chinese\n"
    "                Windows; on by default with --out, off on standard output\n"
    "                (--no-bom turns it off)\n"
    "  --quiet       no progress bar (drawn on standard error, when it is a\n"
    "                terminal, for rosters over 100,000 rows)\n"
    "\n"
    "example: canbao costs examples/policies/004-shiyan-2023.json --as-of 2023-06-30 \\\n"
    "           --roster examples/rosters/004-sample.csv\n";

int run(const std::vector<std::string>& argv, std::ostream& out, std::ostream& err) {
  using namespace canbao;
  const cli::Args args(argv,
                       {"--as-of", "--progress", "--roster", "--format", "--out",
                        cli::kEncodingOption, cli::kDelimiterOption},
                       {"--bom", "--no-bom", "--quiet"});
  const auto out_path = args.value("--out");
  if (args.positional().size() != 1) {
    throw ArgumentError(
        "POLICY", "expected one policy file, got " + std::to_string(args.positional().size()));
  }
  const Date as_of = cli::parse_date_option("--as-of", args.required("--as-of"));
  const TableFormat table_format = cli::table_format(args);
  const std::string format = args.value("--format").value_or("text");
  if (format != "text" && format != "json" && format != "csv")
    throw ArgumentError("--format", "expected text, json or csv, got \"" + format + "\"");
  const auto progress_path = args.value("--progress");
  const auto roster_path = args.value("--roster");
  if (!progress_path && !roster_path)
    throw ArgumentError("--progress", "give --progress, --roster or both");
  const bool bom = format == "csv" && cli::csv_bom(args, out_path.has_value());

  const PolicyPtr policy = load_policy_file(args.positional()[0]);
  std::optional<Progress> progress;
  if (progress_path) {
    if (!policy->work_fund && policy->incentives.empty())
      throw ArgumentError("--progress", "the policy has neither a work_fund nor incentives");
    TableNotes notes;
    progress = read_progress_csv_file(policy, *progress_path, table_format, &notes);
    cli::tell_ignored_columns(err, *progress_path, notes);
  }
  std::optional<Roster> roster;
  std::vector<RosterResult> results;
  std::vector<int> units;
  if (roster_path) {
    if (!policy->costs) throw ArgumentError("--roster", "the policy has no costs section");
    const Recommender recommender(policy);
    cli::RosterInput in(*roster_path, "--roster", "canbao costs: reading the roster",
                        args.flag("--quiet"));
    roster =
        read_roster(in.stream(), *roster_path, as_of, false, recommender.facts(), table_format);
    in.finish();
    results = recommend_roster(recommender, *roster, as_of);
    // Per-unit totals when the roster links rows to units (unit_counts.hpp).
    if (roster->unit_id_column != 0) units = roster_unit_indices(*policy, *roster);
  }
  const CampaignCost cost =
      campaign_cost(*policy, progress ? &*progress : nullptr, roster ? &*roster : nullptr, &results,
                    as_of, units.empty() ? nullptr : &units);
  std::ostringstream text;
  if (format == "json") {
    write_campaign_cost_json(cost, *policy, text, -1);
  } else if (format == "csv") {
    write_campaign_cost_csv(cost, *policy, text);
  } else {
    write_campaign_cost_text(cost, *policy, text);
  }
  // Row and unit ids are the policy's and the roster's own, but one may hold
  // an ID-like digit run: masked as every campaign command does.
  cli::emit(out, out_path, detail::mask_id_numbers(text.str()), bom);
  return 0;
}

}  // namespace

CANBAO_REGISTER_COMMAND(canbao::cli::Command{
    "costs", "the campaign's cost: work fund, incentives, subsidies, 代缴; 补缴 apart", kUsage,
    run});
