#!/usr/bin/env python3
"""Fails when an #include breaks the layer rule of docs/architecture.md.

Data flows one way: values -> model -> readers -> evaluation -> results ->
writers -> facades. A file may include files of its own layer or of a lower
one, never of a higher one. Every file of include/, src/, bindings/ and cli/
must be classified below: a new file that matches no pattern fails the check,
so nobody adds a file without deciding where it lives.

    python3 scripts/check_layers.py [repo-root]     (ctest: layers)
"""
import fnmatch
import os
import re
import sys

LAYERS = ["values", "model", "readers", "evaluation", "results", "writers", "facades"]

# (pattern, layer): the first matching pattern decides. Paths are relative to
# the repository root. Keep this table in step with docs/architecture.md.
RULES = [
    # values: vocabulary types and exact arithmetic, no policy in sight.
    ("include/canbao/detail/*", "values"),
    ("include/canbao/export.hpp", "values"),
    ("include/canbao/version.hpp", "values"),
    ("include/canbao/error.hpp", "values"),
    ("src/detail/text_append.hpp", "values"),  # JSON string and ISO date appenders (streamed writers)
    ("src/detail/json_text_writer.hpp", "values"),  # JSON ints, dates, ratios as dump() prints them
    ("include/canbao/date.hpp", "values"),
    ("include/canbao/date_boost.hpp", "values"),
    ("include/canbao/money.hpp", "values"),
    ("include/canbao/ratio.hpp", "values"),
    ("include/canbao/sex.hpp", "values"),
    ("include/canbao/allocation.hpp", "values"),
    ("include/canbao/resident_id.hpp", "values"),
    ("src/detail/int128.hpp", "values"),
    ("src/detail/permute.hpp", "values"),  # apply_order: a sorted index order put in place
    ("src/detail/sha256.hpp", "values"),
    ("src/error.cpp", "values"),
    ("src/message_text.cpp", "values"),
    ("src/date.cpp", "values"),
    ("src/date_office.cpp", "values"),
    ("src/money.cpp", "values"),
    ("src/ratio.cpp", "values"),
    ("src/allocation.cpp", "values"),
    ("src/resident_id.cpp", "values"),
    ("src/sha256.cpp", "values"),
    # issue 13: tables as offices write them (docs/office-data.md).
    ("include/canbao/table_format.hpp", "values"),
    ("src/table_format.cpp", "values"),
    ("src/detail/office_number.hpp", "values"),
    ("src/office_number.cpp", "values"),
    ("src/detail/column_aliases.hpp", "readers"),
    ("src/column_aliases.cpp", "readers"),
    # model: the validated, immutable policy and the person it is applied to.
    ("include/canbao/calendar.hpp", "model"),
    ("include/canbao/metric.hpp", "model"),
    ("include/canbao/milestone.hpp", "model"),
    ("include/canbao/scoring.hpp", "model"),
    ("include/canbao/unit.hpp", "model"),
    ("src/detail/unit_index.hpp", "model"),  # UnitTree::find's index (issue 15)
    ("src/unit_index.cpp", "model"),
    ("include/canbao/work_fund.hpp", "model"),
    ("include/canbao/incentives.hpp", "model"),
    ("include/canbao/costs.hpp", "model"),
    ("include/canbao/facts.hpp", "model"),
    ("include/canbao/person.hpp", "model"),
    ("include/canbao/recommendation.hpp", "model"),
    ("include/canbao/policy.hpp", "model"),
    ("include/canbao/projection_settings.hpp", "model"),
    # what a decision-table condition means, part by part: the one-person
    # path, the batch tables and the reachability check (a reader) share it.
    ("src/detail/condition.hpp", "model"),
    # the one way the readers set the model's computed fields.
    ("src/detail/model_access.hpp", "model"),
    ("src/calendar.cpp", "model"),
    ("src/facts.cpp", "model"),
    ("src/builtin_values.cpp", "model"),
    ("src/person.cpp", "model"),
    ("src/model_names.cpp", "model"),
    # readers: text in (policy JSON, progress, rosters, patches), model out.
    ("include/canbao/progress.hpp", "readers"),
    ("include/canbao/reform.hpp", "readers"),
    ("src/detail/csv.hpp", "readers"),
    ("src/detail/json_reader.hpp", "readers"),
    ("src/detail/policy_reader.hpp", "readers"),
    ("src/detail/facts_json.hpp", "readers"),
    ("src/detail/recommendation_json.hpp", "readers"),
    ("src/detail/recommendation_reachability.hpp", "readers"),
    ("src/csv.cpp", "readers"),
    # issue 15: whole input files as bytes (mmap) for the zero-copy CSV path.
    ("src/detail/mapped_file.hpp", "readers"),
    # a whole policy file or unit table into one string (policy_check, policy_files).
    ("src/detail/whole_file.hpp", "values"),
    ("src/detail/unit_memory.hpp", "values"),  # huge pages for national arrays (issue 15)
    ("src/detail/parallel.hpp", "values"),
    ("src/mapped_file.cpp", "readers"),
    ("src/json_reader.cpp", "readers"),
    ("src/policy_test.cpp", "facades"),
    ("src/policy_*.cpp", "readers"),
    ("src/unit_tree.cpp", "readers"),
    ("src/facts_json.cpp", "readers"),
    ("src/recommendation_json.cpp", "readers"),
    ("src/recommendation_reachability.cpp", "readers"),
    ("src/progress.cpp", "readers"),
    ("src/progress_rows.cpp", "readers"),
    ("src/progress_csv.cpp", "readers"),
    ("src/reform.cpp", "readers"),
    # checking a policy for its author: all errors, did-you-mean, warnings.
    ("include/canbao/policy_check.hpp", "readers"),
    ("src/detail/policy_check.hpp", "readers"),
    ("src/detail/did_you_mean.hpp", "readers"),
    ("src/did_you_mean.cpp", "readers"),
    # evaluation: pure functions of model and inputs.
    ("include/canbao/retirement.hpp", "evaluation"),
    ("include/canbao/evaluation.hpp", "evaluation"),
    ("include/canbao/ranking.hpp", "evaluation"),
    ("include/canbao/recommender.hpp", "evaluation"),
    ("include/canbao/batch.hpp", "evaluation"),
    ("include/canbao/compare.hpp", "evaluation"),
    ("include/canbao/roster.hpp", "evaluation"),
    ("include/canbao/roster_columns.hpp", "evaluation"),
    # the roster's one row parser and output row pieces, shared by the
    # RosterPerson path and the column path of `canbao recommend` (issue 15).
    ("src/detail/roster_rows.hpp", "evaluation"),
    ("src/detail/roster_output.hpp", "evaluation"),
    ("include/canbao/unit_counts.hpp", "evaluation"),
    ("src/roster_*.cpp", "evaluation"),
    ("src/detail/batch_hooks.hpp", "evaluation"),
    ("src/detail/row_index.hpp", "evaluation"),
    ("src/batch/*", "evaluation"),
    ("src/batch.cpp", "evaluation"),
    ("src/retirement.cpp", "evaluation"),
    ("src/evaluation.cpp", "evaluation"),
    ("src/ranking.cpp", "evaluation"),
    ("src/recommendation.cpp", "evaluation"),
    ("src/recommender.cpp", "evaluation"),
    ("src/compare.cpp", "evaluation"),
    ("include/canbao/campaign_cost.hpp", "evaluation"),
    ("src/incentives.cpp", "evaluation"),
    ("src/costs.cpp", "evaluation"),
    ("include/canbao/projection.hpp", "evaluation"),
    ("src/projection.cpp", "evaluation"),
    ("src/detail/report_projection.hpp", "evaluation"),  # projections with the report's work fund
    ("include/canbao/metric_values.hpp", "evaluation"),
    ("src/metric_values.cpp", "evaluation"),
    ("include/canbao/late_reports.hpp", "evaluation"),
    ("src/late_reports.cpp", "evaluation"),
    ("src/detail/late_reports.hpp", "evaluation"),  # the late ones only, for make_report
    # results: the report a caller asks for, assembled from evaluations.
    ("include/canbao/report.hpp", "results"),
    ("src/report.cpp", "results"),
    ("include/canbao/report_action.hpp", "results"),
    ("src/report_action.cpp", "results"),
    ("src/detail/report_action.hpp", "results"),
    # writers: results out as text, CSV and JSON (later HTML, xlsx).
    ("include/canbao/*_json.hpp", "writers"),
    ("include/canbao/writers.hpp", "writers"),
    ("src/detail/text_table.hpp", "writers"),
    ("src/detail/result_json.hpp", "writers"),
    ("src/detail/*_json.hpp", "writers"),
    ("src/writers/*", "writers"),
    ("src/report_text.cpp", "writers"),
    ("src/report_csv.cpp", "writers"),
    ("src/report_action_text.cpp", "writers"),
    ("src/report_json_stream.cpp", "writers"),
    ("src/projection_text.cpp", "writers"),
    ("src/detail/projection_text.hpp", "writers"),
    ("src/compare_writers.cpp", "writers"),
    ("src/unit_counts_writers.cpp", "writers"),
    ("src/campaign_cost_writers.cpp", "writers"),
    ("src/metric_values_writers.cpp", "writers"),
    ("src/text_table.cpp", "writers"),
    ("src/*_json.cpp", "writers"),
    ("include/canbao/report_html.hpp", "writers"),
    ("src/report_html.cpp", "writers"),
    ("src/report_html_charts.cpp", "writers"),
    ("src/report_html_action.cpp", "writers"),
    ("src/detail/report_html_action.hpp", "writers"),
    ("src/detail/report_html_charts.hpp", "writers"),
    ("src/report_labels.cpp", "writers"),
    ("src/detail/report_labels.hpp", "writers"),
    ("src/svg.cpp", "writers"),
    ("src/detail/svg.hpp", "writers"),
    ("src/detail/html_table.hpp", "writers"),
    # facades: the doors callers come through.
    ("include/canbao/json_api.hpp", "facades"),
    ("include/canbao/policy_test.hpp", "facades"),
    ("include/canbao/canbao.hpp", "facades"),
    ("include/canbao.h", "facades"),
    ("src/json_api.cpp", "facades"),
    ("src/json_request.cpp", "facades"),
    ("src/detail/json_request.hpp", "facades"),
    ("src/policy_test.cpp", "facades"),
    ("bindings/*", "facades"),
    # issue 15: the one-person recommend door without a DOM (answer text, request fast path).
    ("src/recommendation_writer.cpp", "writers"),
    ("src/detail/recommendation_writer.hpp", "writers"),
    ("src/recommend_request.cpp", "facades"),
    ("src/detail/recommend_request.hpp", "facades"),
    ("src/detail/json_call.hpp", "facades"),
    ("cli/*", "facades"),
    # issue 15: unit tables (docs/units-table.md)
    ("src/detail/unit_places.hpp", "readers"),
    ("src/unit_table.cpp", "readers"),
    # issue 15: inline units read while the policy JSON is parsed
    ("src/detail/unit_stream.hpp", "readers"),
    ("src/unit_stream.cpp", "readers"),
]

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)
SOURCE_DIRS = ["include", "src", "bindings", "cli"]
SUFFIXES = (".hpp", ".h", ".cpp", ".c")


def layer_of(path):
    for pattern, layer in RULES:
        if fnmatch.fnmatchcase(path, pattern):
            return layer
    return None


def resolve(root, includer, kind, name):
    """The repository path an include names, or None for system headers."""
    candidates = []
    if kind == '"':
        candidates.append(os.path.join(os.path.dirname(includer), name))
        candidates.append(os.path.join("src", name))
    candidates.append(os.path.join("include", name))
    for c in candidates:
        c = os.path.normpath(c)
        if os.path.isfile(os.path.join(root, c)):
            return c
    return None


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                           os.path.join(os.path.dirname(__file__), ".."))
    problems = []
    checked = 0
    for top in SOURCE_DIRS:
        for folder, _, files in os.walk(os.path.join(root, top)):
            for f in sorted(files):
                if not f.endswith(SUFFIXES):
                    continue
                path = os.path.relpath(os.path.join(folder, f), root)
                own = layer_of(path)
                if own is None:
                    problems.append(f"{path}: not in any layer: classify it in "
                                    "scripts/check_layers.py (docs/architecture.md)")
                    continue
                with open(os.path.join(root, path), encoding="utf-8") as fh:
                    text = fh.read()
                for m in INCLUDE.finditer(text):
                    target = resolve(root, path, m.group(1), m.group(2))
                    if target is None or target == path:
                        continue
                    theirs = layer_of(target)
                    checked += 1
                    if theirs is None:
                        continue  # reported as its own problem
                    if LAYERS.index(theirs) > LAYERS.index(own):
                        line = text.count("\n", 0, m.start()) + 1
                        problems.append(f"{path}:{line}: {own} includes {target} ({theirs}): "
                                        "a layer may only include its own or lower layers")
    for p in problems:
        print(p)
    if problems:
        print(f"check_layers: {len(problems)} problem(s)")
        return 1
    print(f"check_layers: {checked} includes follow {' -> '.join(LAYERS)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
