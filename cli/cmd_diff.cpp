// `canbao diff BASE [REFORM] [--patch FILE]`: what a policy change does to the
// same roster and progress (docs/reforms.md, docs/testing-policy-changes.md).
#include <fstream>
#include <memory>
#include <ostream>
#include <sstream>

#include <canbao/compare.hpp>
#include <canbao/error.hpp>
#include <canbao/reform.hpp>
#include <canbao/roster.hpp>

#include "command.hpp"
#include "output_options.hpp"
#include "progress_bar.hpp"
#include "table_input.hpp"
#include "xlsx_book.hpp"

namespace canbao::cli {
namespace {

PatchKind patch_kind_option(const Args& args) {
  const auto kind = args.value("--patch-kind");
  if (!kind || *kind == "detect") return PatchKind::detect;
  if (*kind == "merge") return PatchKind::merge_patch;
  if (*kind == "json-patch") return PatchKind::json_patch;
  throw ArgumentError("--patch-kind",
                      "expected detect, merge or json-patch, got \"" + *kind + "\"");
}

// Sheet names for the CSV's sections: Chinese first, English as in the CSV.
std::string diff_sheet_name(const std::string& section) {
  if (section == "policies") return "政策 policies";
  if (section == "payouts") return "工作经费 payouts";
  if (section == "transitions") return "人员变化 transitions";
  if (section == "samples") return "样例 samples";
  if (section == "scores") return "得分 scores";
  if (section == "milestones") return "节点 milestones";
  return section;
}

int run_diff(const std::vector<std::string>& argv, std::ostream& out, std::ostream& err) {
  const Args args(argv,
                  {"--patch", "--patch-kind", "--roster", "--progress", "--as-of", "--format",
                   "--samples", "--out", kEncodingOption, kDelimiterOption},
                  {"--bom", "--no-bom", "--quiet"});
  const auto& pos = args.positional();
  if (pos.empty() || pos.size() > 2)
    throw ArgumentError("BASE", "give the base policy and at most one reform policy");
  const auto patch = args.value("--patch");
  if ((pos.size() == 2) == patch.has_value()) {
    throw ArgumentError("--patch",
                        "give either a REFORM policy file or --patch FILE (exactly one)");
  }
  const auto roster_path = args.value("--roster");
  const auto progress_path = args.value("--progress");
  if (!roster_path && !progress_path)
    throw ArgumentError("--roster/--progress", "give at least one of them");
  const Date as_of = parse_date_option("--as-of", args.required("--as-of"));
  const TableFormat table_format = cli::table_format(args);
  const std::string format = args.value("--format").value_or("text");
  if (format != "text" && format != "json" && format != "csv" && format != "xlsx") {
    throw ArgumentError("--format", "expected text, json, csv or xlsx, got \"" + format + "\"");
  }
  const auto out_path = args.value("--out");
  require_out_for_xlsx(format, out_path);
  const bool bom = format == "csv" && csv_bom(args, out_path.has_value());
  CompareOptions options;
  if (const auto n = args.value("--samples")) {
    try {
      std::size_t used = 0;
      const long v = std::stol(*n, &used);
      if (used != n->size() || v < 0 || v > 100000) throw std::invalid_argument("range");
      options.samples = static_cast<std::size_t>(v);
    } catch (const std::logic_error&) {
      throw ArgumentError("--samples", "expected a whole number 0..100000, got \"" + *n + "\"");
    }
  }

  // Everything is loaded and validated before anything is compared: an
  // invalid reform stops here with its path.
  const PolicyPtr base = load_policy_file(pos[0]);
  const PolicyPtr reform =
      patch ? apply_reform_file(*base, *patch, patch_kind_option(args)) : load_policy_file(pos[1]);

  std::optional<Roster> roster;
  if (roster_path) {
    RosterInput in(*roster_path, "--roster", "canbao diff: reading the roster",
                   args.flag("--quiet"));
    // The base policy's declared facts (a reform declaring others reads them the same way).
    roster = read_roster(in.stream(), *roster_path, as_of, false,
                         base->recommendation ? base->recommendation->facts : FactDeclarations{},
                         table_format);
    in.finish();
  }
  ProgressReader progress;
  if (progress_path) {
    // Read once per policy; the ignored columns are told once.
    progress = [text = read_file(*progress_path, "--progress"), path = *progress_path, table_format,
                &err, told = std::make_shared<bool>(false)](const PolicyPtr& policy) {
      std::istringstream in(text);
      TableNotes notes;
      Progress p = read_progress_csv(policy, in, path, table_format, &notes);
      if (!*told) tell_ignored_columns(err, path, notes);
      *told = true;
      return p;
    };
  }

  const ReformComparison c =
      compare(base, reform, roster ? &*roster : nullptr, progress, as_of, options);
  std::ostringstream text;
  if (format == "xlsx") {
    write_comparison_csv(c, text);
    XlsxBook book(*out_path, "--out", as_of);
    for (Table& t : tables_from_sectioned_csv(text.str())) {
      t.sheet = diff_sheet_name(t.sheet);
      t.title = "对比 diff — " + t.sheet + ", 截至 as of " + as_of.iso();
      book.add(t);
    }
    book.commit();
    return 0;
  }
  if (format == "json") {
    write_comparison_json(c, text);
  } else if (format == "csv") {
    write_comparison_csv(c, text);
  } else {
    write_comparison_text(c, text);
  }
  emit(out, out_path, text.str(), bom);
  return 0;
}

CANBAO_REGISTER_COMMAND(Command{
    "diff", "compare a base policy and a reform on the same roster and progress",
    "usage: canbao diff BASE [REFORM] [--patch FILE] [--roster CSV] [--progress CSV]\n"
    "                   --as-of DATE [--format text|json|csv|xlsx] [--samples N]\n"
    "                   [--out FILE] [--bom|--no-bom] [--quiet]\n"
    "\n"
    "Evaluates BASE and the reform on the same data and prints what changes:\n"
    "  work fund   payout per paid unit before/after/delta (yuan) and the total\n"
    "  people      scheme and actions before -> after with counts, and the first\n"
    "              N changed people (roster row id, masked ID number, age)\n"
    "  scores      points, rank and grade before -> after\n"
    "  milestones  (milestone, unit) statuses newly met, newly missed or changed\n"
    "Both fingerprints are printed, and the reform's provenance when it is a patch.\n"
    "\n"
    "The reform is either a second policy file REFORM or --patch FILE: a JSON\n"
    "Merge Patch (RFC 7386, an object) or a JSON Patch (RFC 6902, an array) on\n"
    "BASE's canonical JSON (docs/reforms.md).\n"
    "The patched policy is validated like any policy; an invalid one is rejected\n"
    "with its JSON path and nothing is compared.\n"
    "\n"
    "options:\n"
    "  --patch FILE          the change, instead of REFORM\n"
    "  --patch-kind KIND     detect (default), merge or json-patch\n"
    "  --roster CSV          persons (docs/roster.md); needs recommendation in both policies\n"
    "  --progress CSV        progress observations, read against each policy\n"
    "  --as-of DATE          evaluation day, YYYY-MM-DD (required)\n"
    "  --format FORMAT       text (default), json, csv (one table per section) or\n"
    "                        xlsx (one sheet per section; needs --out; docs/excel.md)\n"
    "  --out FILE            write to FILE (whole or not at all), not standard output\n"
    "  --bom, --no-bom       CSV starts with a UTF-8 byte order mark (for Excel on\n"
    "                        Chinese Windows): default on with --out, off on stdout\n"
    "  --quiet               no progress bar (drawn on standard error, when it is a\n"
    "                        terminal, while a roster over 100,000 rows is read)\n"
    "  --samples N           changed people listed (default 10)\n"
    "\n"
    "example:\n"
    "  canbao diff examples/policies/000-xx-town-2021.json \\\n"
    "      --patch examples/patches/000-second-tier-90.merge.json \\\n"
    "      --progress examples/progress/000-xx-town-2021.csv --as-of 2021-12-31\n"
    "\n"
    "exit codes: 0 compared, 1 invalid policy, patch or data, 2 usage error\n",
    run_diff});

}  // namespace
}  // namespace canbao::cli
