// `canbao recommend`: a roster CSV through the policy's Recommender.
// Output rows keep the roster's own `id`; ID numbers appear only masked.
#include <array>
#include <chrono>
#include <fstream>
#include <iostream>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>

#include <canbao/batch.hpp>
#include <canbao/detail/message_text.hpp>
#include <canbao/error.hpp>
#include <canbao/facts.hpp>
#include <canbao/policy.hpp>
#include <canbao/recommendation.hpp>
#include <canbao/recommender.hpp>
#include <canbao/roster.hpp>
#include <canbao/roster_columns.hpp>
#include <canbao/unit_counts.hpp>

#include "command.hpp"
#include "output_file.hpp"
#include "output_options.hpp"
#include "progress_bar.hpp"
#include "table_input.hpp"
#include "xlsx_book.hpp"

namespace {

const char* kUsage =
    "usage: canbao recommend POLICY --roster CSV --as-of YYYY-MM-DD\n"
    "                        [--out FILE] [--format csv|json|xlsx] [--rejects FILE]\n"
    "                        [--explain ID] [--by-unit] [--bom|--no-bom] [--quiet]\n"
    "                        [--reasons codes|text] [--threads N]\n"
    "\n"
    "Runs every person of the roster through the policy's recommendation tables\n"
    "(docs/recommendation.md, docs/roster.md) on the as-of date. Writes one row per\n"
    "roster row, in order: id,age,scheme,actions,groups,retirement_date,reasons\n"
    "and the roster's extra columns (to --out, or standard output).\n"
    "The policy's declared facts are read from their columns (docs/roster.md).\n"
    "\n"
    "  --reasons codes the codes of the table rows that fired (\"scheme.3\": table\n"
    "                  scheme, rows[3]; joined by ';'), the default; JSON adds the\n"
    "                  table of each code's texts once, xlsx a sheet 理由 reasons.\n"
    "                  text: columns reason,reason_en with the full texts instead\n"
    "  --threads N     read, evaluate and write on N threads (default: the\n"
    "                  machine's cores); the output is the same for every N\n"
    "  --rejects FILE  write bad rows to FILE with their reason and go on (the\n"
    "                  summary counts them); without it the first bad row stops\n"
    "                  the run with file:line:column and the reason\n"
    "  --explain ID    print, for the roster row with this id, the derived facts\n"
    "                  and every table row that fired (path, source, reason);\n"
    "                  the ID number is shown masked. Roster output is then\n"
    "                  written only with --out.\n"
    "  --by-unit       write per-unit counts instead of one row per person: for\n"
    "                  each policy unit, the persons its roster rows link to\n"
    "                  (unit_id column; a town adds up its villages) by scheme,\n"
    "                  action, priority group and insurance status, next to the\n"
    "                  unit's targets; then the rows with an empty unit_id\n"
    "                  (docs/roster.md#counts-by-unit)\n"
    "  --format xlsx   an Excel workbook (needs --out): sheet 建议 (or 按单位 with\n"
    "                  --by-unit), and 未读入 with the --rejects rows (docs/excel.md)\n"
    "  --bom           start CSV (--out and --rejects files, or standard output)\n"
    "                  with a UTF-8 byte order mark, for Excel on Chinese Windows:\n"
    "                  on by default for files, off on standard output (a pipe\n"
    "                  feeds a program); --no-bom turns it off\n"
    "  --quiet         no progress bar (one is drawn on standard error, when it is\n"
    "                  a terminal, for rosters over 100,000 rows)\n"
    "\n"
    "--as-of is a day in 1900-01-01..2200-12-31. --out and --rejects files are\n"
    "written whole or not at all: a run that fails leaves none behind and keeps\n"
    "an existing file. ID numbers appear only masked, in whatever column.\n"
    "\n"
    "A summary goes to standard error. exit code: 0 ok (also when rows were\n"
    "rejected into --rejects), 1 invalid policy or roster, 2 usage error\n";

void explain(std::ostream& out, const canbao::Recommender& recommender,
             const canbao::RosterPerson& p, canbao::Date as_of) {
  using namespace canbao;
  const Recommendation r = recommender.recommend(p.person, as_of);
  // Spelled by the policy's lists, so values it adds print their ids.
  const BuiltinValues& builtin = recommender.facts().builtin;
  out << "id:                 " << detail::mask_id_numbers(p.id) << "\n";
  if (!p.id_number_masked.empty()) out << "id_number:          " << p.id_number_masked << "\n";
  out << "as of:              " << as_of.iso() << "\n"
      << "sex:                " << sex_name(p.person.sex) << "\n"
      << "age:                " << r.facts.age << "\n"
      << "hukou_local:        " << (p.person.hukou_local ? "true" : "false") << "\n"
      << "insurance_status:   "
      << builtin.name(BuiltinList::insurance_status, static_cast<int>(p.person.insurance_status))
      << "\n"
      << "employment:         "
      << builtin.name(BuiltinList::employment, static_cast<int>(p.person.employment)) << "\n"
      << "resident_grade:     " << p.person.resident_grade_yuan << " yuan\n"
      << "flags:              " << builtin.flags_text(p.person.flags) << "\n";
  // The policy's declared facts (a fact the roster leaves out shows its default).
  for (const FactDeclaration& f : recommender.facts().facts) {
    const auto it = p.person.facts.find(f.id);
    const FactValue v = it != p.person.facts.end() ? it->second : f.default_value.value_or(0);
    const std::string label = f.id + ":";
    out << label << std::string(label.size() < 20 ? 20 - label.size() : 1, ' ') << f.text(v)
        << (it == p.person.facts.end() ? " (default)" : "") << "\n";
  }
  out << "retirement_date:    " << r.facts.retirement_date.iso() << "\n"
      << "years_to_retire:    " << r.facts.years_to_retirement << "\n"
      << "contributable:      " << r.facts.contributable_months << " months (minimum "
      << r.facts.minimum_months << ")\n";
  // Only when the policy names the fact of years already paid (docs/facts.md#years-already-paid).
  if (recommender.rules().prior_contribution_years_fact) {
    out << "already paid:       " << r.facts.prior_contribution_months << " months ("
        << r.facts.months_still_needed() << " still needed, reaches the minimum: "
        << (r.facts.reaches_minimum_by_retirement() ? "yes" : "no") << ")\n";
  }
  out << "\n"
      << "scheme:  " << scheme_name(r.scheme) << "\n"
      << "actions: " << actions_text(r.actions) << "\n"
      << "groups:  " << groups_text(r.groups) << "\n\nrows that fired:\n";
  const auto& tables = recommender.rules().tables;
  for (const FiredRow& f : r.trace) {
    out << "  " << f.rule->path << "  (table \"" << tables[f.table].id << "\", "
        << (tables[f.table].hit == HitPolicy::first ? "first hit" : "collect") << ")\n";
    if (!f.rule->source.empty()) out << "    source: " << f.rule->source << "\n";
    out << "    zh: " << f.rule->reason.zh << "\n    en: " << f.rule->reason.en << "\n";
  }
  if (r.trace.empty()) out << "  (none)\n";
  // Which batch kernel answered the whole roster, and why (a trace, never a result).
  out << "\nbatch kernel: " << recommender.prepared(as_of)->kernel_reason() << "\n";
}

// A text as one CSV field (RFC 4180).
std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// --format xlsx: the same CSV tables as sheets (xlsx_book.hpp), written whole or not at all.
void write_xlsx(const std::string& path, canbao::Date as_of, const canbao::Policy& policy,
                const canbao::Recommender& recommender, const canbao::Roster& roster,
                const std::vector<int>& units, const std::vector<canbao::RosterResult>& results,
                bool by_unit, bool rejects, canbao::RosterReasons reasons) {
  using namespace canbao;
  cli::XlsxBook book(path, "--out", as_of);
  std::ostringstream csv;
  if (by_unit) {
    write_unit_counts_csv(csv, policy, count_by_unit(policy, roster, units, results));
    book.add(
        cli::table_from_csv("按单位 by unit", "按单位 by unit, as of " + as_of.iso(), csv.str()));
  } else {
    write_roster_csv(csv, recommender, roster, results, reasons);
    book.add(cli::table_from_csv("建议 recommendations",
                                 "建议 recommendations, as of " + as_of.iso(), csv.str()));
    if (reasons == RosterReasons::codes) {
      // The codes' texts once (docs/roster.md#reason-codes).
      std::ostringstream table;
      table << "code,reason,reason_en\n";
      for (int bit = 0; bit < recommender.row_count(); ++bit) {
        const Reason& why = recommender.row(bit).reason;
        table << reason_code(recommender, bit) << ',' << csv_field(why.zh) << ','
              << csv_field(why.en) << '\n';
      }
      book.add(cli::table_from_csv("理由 reasons", "理由 reasons (codes of the 建议 sheet)",
                                   table.str()));
    }
  }
  if (rejects) {
    std::ostringstream bad;
    write_rejects_csv(bad, roster);
    book.add(cli::table_from_csv("未读入 rejects", "未读入 rejected rows", bad.str()));
  }
  book.commit();
}

// --threads N (1..256), or 0: the machine's cores.
unsigned thread_option(const canbao::cli::Args& args) {
  const auto v = args.value("--threads");
  if (!v) return 0;
  unsigned n = 0;
  for (char c : *v) n = c >= '0' && c <= '9' && n < 1000 ? n * 10 + unsigned(c - '0') : 1000;
  if (v->empty() || n < 1 || n > 256)
    throw canbao::ArgumentError(
        "--threads", "expected a whole number 1..256, got \"" + canbao::detail::excerpt(*v) + "\"");
  return n;
}

// The roster, memory-mapped and read on `threads` threads; through a stream
// with a progress bar when one is drawn (a terminal, no --quiet).
canbao::Roster read_roster_input(const std::string& path, canbao::Date as_of, bool keep_rejects,
                                 const canbao::FactDeclarations& facts,
                                 const canbao::TableFormat& format, bool quiet, unsigned threads) {
  using namespace canbao;
  cli::RosterInput roster_in(path, "--roster", "canbao recommend: reading the roster", quiet);
  if (!roster_in.shows_bar())
    return read_roster_file(path, as_of, keep_rejects, facts, format, nullptr, threads);
  std::ostringstream bytes;
  bytes << roster_in.stream().rdbuf();
  roster_in.finish();
  const std::string text = bytes.str();
  return read_roster_bytes(text, path, as_of, keep_rejects, facts, format, nullptr, threads);
}

// The roster read into columns for the CSV answer (roster_columns.hpp), as
// read_roster_input reads it.
canbao::RosterColumns read_roster_columns_input(const std::string& path,
                                                const canbao::Recommender& recommender,
                                                canbao::Date as_of, bool keep_rejects,
                                                const canbao::TableFormat& format, bool quiet,
                                                unsigned threads) {
  using namespace canbao;
  cli::RosterInput roster_in(path, "--roster", "canbao recommend: reading the roster", quiet);
  if (!roster_in.shows_bar())
    return read_roster_columns_file(path, recommender, as_of, keep_rejects, format, threads);
  std::ostringstream bytes;
  bytes << roster_in.stream().rdbuf();
  roster_in.finish();
  const std::string text = bytes.str();
  return read_roster_columns_bytes(text, path, recommender, as_of, keep_rejects, format, threads);
}

// A summary line on standard error.
void summary(std::ostream& err, std::size_t persons, const std::size_t (&by_scheme)[3],
             const std::optional<std::string>& rejects_path, std::size_t rejects, double seconds) {
  err << "canbao recommend: " << persons << " persons (employee " << by_scheme[1] << ", resident "
      << by_scheme[2] << ", none " << by_scheme[0] << ")";
  if (rejects_path) err << ", " << rejects << " rows rejected into " << *rejects_path;
  err << " in " << static_cast<long>(seconds * 1000) << " ms\n";
}

int run(const std::vector<std::string>& argv, std::ostream& out, std::ostream& err) {
  using namespace canbao;
  const cli::Args args(argv,
                       {"--roster", "--as-of", "--out", "--format", "--explain", "--rejects",
                        cli::kEncodingOption, cli::kDelimiterOption, "--reasons", "--threads"},
                       {"--by-unit", "--bom", "--no-bom", "--quiet"});
  if (args.positional().size() != 1) {
    throw ArgumentError(
        "POLICY", "expected one policy file, got " + std::to_string(args.positional().size()));
  }
  const std::string roster_path = args.required("--roster");
  const Date as_of = cli::parse_date_option("--as-of", args.required("--as-of"));
  const TableFormat table_format = cli::table_format(args);
  const std::string format = args.value("--format").value_or("csv");
  if (format != "csv" && format != "json" && format != "xlsx")
    throw ArgumentError("--format", "expected csv, json or xlsx, got \"" + format + "\"");
  const auto rejects_path = args.value("--rejects");
  const auto explain_id = args.value("--explain");
  const auto out_path = args.value("--out");
  const bool by_unit = args.flag("--by-unit");
  cli::require_out_for_xlsx(format, out_path);
  const bool out_bom = format == "csv" && cli::csv_bom(args, out_path.has_value());
  const bool rejects_bom = cli::csv_bom(args, true);
  if (by_unit && explain_id) throw ArgumentError("--by-unit", "does not go with --explain");
  const std::string reasons_text = args.value("--reasons").value_or("codes");
  if (reasons_text != "codes" && reasons_text != "text")
    throw ArgumentError("--reasons", "expected codes or text, got \"" + reasons_text + "\"");
  const RosterReasons reasons = reasons_text == "text" ? RosterReasons::text : RosterReasons::codes;
  const unsigned threads = thread_option(args);

  const auto t0 = std::chrono::steady_clock::now();
  const PolicyPtr policy = load_policy_file(args.positional()[0]);
  if (!policy->recommendation)
    throw PolicyError("recommendation", "the policy has no recommendation section");
  const Recommender recommender(policy);
  if (format == "csv" && !by_unit && !explain_id) {
    // One row per person as CSV: read into columns, no RosterPerson (issue 15).
    const RosterColumns columns =
        read_roster_columns_input(roster_path, recommender, as_of, rejects_path.has_value(),
                                  table_format, args.flag("--quiet"), threads);
    std::optional<cli::OutputFile> rejects_file, out_file;
    if (rejects_path) {
      rejects_file.emplace(*rejects_path, "--rejects");
      if (rejects_bom) rejects_file->stream() << cli::kUtf8Bom;
      write_rejects_csv(rejects_file->stream(), columns.roster());
    }
    if (out_path) out_file.emplace(*out_path, "--out");
    std::ostream& sink = out_path ? out_file->stream() : out;
    if (out_bom) sink << cli::kUtf8Bom;
    const std::array<std::size_t, 3> counts = columns.write_csv(sink, reasons, threads);
    sink.flush();
    if (rejects_file) rejects_file->commit();
    if (out_file) out_file->commit();
    const std::size_t by_scheme[3] = {counts[0], counts[1], counts[2]};
    summary(err, columns.size(), by_scheme, rejects_path, columns.roster().rejects.size(),
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    return 0;
  }
  const Roster roster =
      read_roster_input(roster_path, as_of, rejects_path.has_value(), recommender.facts(),
                        table_format, args.flag("--quiet"), threads);

  const RosterPerson* found = nullptr;
  if (explain_id) {
    for (const RosterPerson& p : roster.persons) {
      if (p.id == *explain_id) found = &p;
    }
    if (!found)
      throw ArgumentError("--explain", "no valid roster row has id \"" + *explain_id + "\"");
  }
  // Output files are written whole or not at all (output_file.hpp): both are
  // committed only after everything else has succeeded.
  std::optional<cli::OutputFile> rejects_file, out_file;
  if (rejects_path) {
    rejects_file.emplace(*rejects_path, "--rejects");
    if (rejects_bom) rejects_file->stream() << cli::kUtf8Bom;
    write_rejects_csv(rejects_file->stream(), roster);
  }
  if (found) explain(out, recommender, *found, as_of);

  std::vector<RosterResult> results;
  if (!found || out_path) {
    // Checked before any output is written: an unknown unit leaves no file.
    const std::vector<int> units =
        by_unit ? roster_unit_indices(*policy, roster) : std::vector<int>();
    results = recommend_roster(recommender, roster, as_of, threads);
    if (format == "xlsx") {
      write_xlsx(*out_path, as_of, *policy, recommender, roster, units, results, by_unit,
                 rejects_path.has_value(), reasons);
    } else {
      if (out_path) out_file.emplace(*out_path, "--out");
      std::ostream& sink = out_path ? out_file->stream() : out;
      if (out_bom) sink << cli::kUtf8Bom;
      if (by_unit) {
        const RosterUnitCounts counts = count_by_unit(*policy, roster, units, results);
        if (format == "json") {
          write_unit_counts_json(sink, *policy, counts, 2);
        } else {
          write_unit_counts_csv(sink, *policy, counts);
        }
      } else if (format == "json") {
        write_roster_json(sink, recommender, roster, results, reasons);
      } else {
        write_roster_csv(sink, recommender, roster, results, reasons, threads);
      }
      sink.flush();
    }
  }
  if (rejects_file) rejects_file->commit();
  if (out_file) out_file->commit();
  if (found && !out_path) return 0;

  std::size_t by_scheme[3] = {0, 0, 0};
  for (const RosterResult& r : results) ++by_scheme[static_cast<int>(r.scheme)];
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  summary(err, results.size(), by_scheme, rejects_path, roster.rejects.size(), seconds);
  return 0;
}

}  // namespace

CANBAO_REGISTER_COMMAND(canbao::cli::Command{
    "recommend", "recommend a pension scheme, actions and priority groups for each roster row",
    kUsage, run});
