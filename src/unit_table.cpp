// A unit table: `"units": {"table": "units.csv"}` names a CSV with one unit a
// row (docs/units-table.md), so a national policy (700,000 villages) does not
// carry its units inside the JSON. The host hands the table's text over
// (PolicyFiles): this reader opens no file. Errors name file:line:column.
#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <thread>

#include <canbao/error.hpp>

#include "detail/csv.hpp"
#include "detail/did_you_mean.hpp"
#include "detail/model_access.hpp"
#include "detail/parallel.hpp"
#include "detail/policy_check.hpp"
#include "detail/policy_reader.hpp"
#include "detail/unit_memory.hpp"
#include "detail/unit_places.hpp"

namespace canbao::detail {

namespace {

const char* const kFixedColumns[] = {"id", "name", "level", "parent", "source"};

// A whole number >= 0 written in decimal digits, or false.
bool whole_number(std::string_view text, std::int64_t& out) {
  if (text.empty() || text.size() > 19) return false;
  std::int64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, c - '0', &v)) return false;
  }
  out = v;
  return true;
}

struct Columns {
  std::size_t id = 0, name = 0, level = 0, parent = 0, source = 0;  // 1-based; 0 = absent
  std::vector<std::pair<std::size_t, int>> targets;                 // column, metric index
  std::vector<std::pair<std::size_t, std::string>> bases;           // column, base name
};

Columns read_columns(CsvReader& csv, const Policy& p, UnitPlaces& places) {
  const std::vector<std::string>& header = csv.read_header();
  Columns c;
  std::set<std::string> allowed(std::begin(kFixedColumns), std::end(kFixedColumns));
  for (const Metric& m : p.metrics) allowed.insert("target." + m.id);
  for (std::size_t i = 0; i < header.size(); ++i) {
    const std::string& h = header[i];
    const std::size_t col = i + 1;
    places.columns[h] = col;
    if (h == "id") {
      c.id = col;
    } else if (h == "name") {
      c.name = col;
    } else if (h == "level") {
      c.level = col;
    } else if (h == "parent") {
      c.parent = col;
    } else if (h == "source") {
      c.source = col;
    } else if (h.compare(0, 7, "target.") == 0) {
      const int mi = p.metric_index(h.substr(7));
      if (mi < 0) {
        const std::string hint = did_you_mean(closest_names(h, allowed));
        csv.fail(1, col,
                 "no metric " + in_quotes(h.substr(7)) + " in metrics" +
                     (hint.empty() ? std::string() : " (" + hint + ")"));
      }
      c.targets.emplace_back(col, mi);
    } else if (h.compare(0, 5, "base.") == 0 && h.size() > 5) {
      c.bases.emplace_back(col, h.substr(5));
    } else {
      const std::string hint = did_you_mean(closest_names(h, allowed));
      csv.fail(1, col,
               "unknown column " + in_quotes(h) + (hint.empty() ? "" : ", " + hint) +
                   " (expected id, name, level, parent, source, target.<metric>, base.<name>)");
    }
  }
  for (const auto& [need, col] : {std::make_pair("id", c.id), std::make_pair("name", c.name),
                                  std::make_pair("level", c.level)}) {
    if (col == 0) csv.fail(1, 0, "the unit table needs a column " + in_quotes(need));
  }
  return c;
}

// One row into `u`: cells as the JSON unit's fields (an empty cell: none).
void read_row(const CsvReader& csv, const CsvFields& row, const Columns& c, const Policy& p,
              Unit& u) {
  const auto cell = [&row](std::size_t col) { return row.fields[col - 1]; };
  const auto required = [&](std::size_t col, const char* what, std::string& out) {
    out = cell(col);
    if (out.empty()) csv.fail(row.line, col, std::string("expected a non-empty ") + what);
  };
  required(c.id, "id", u.id);
  required(c.name, "name", u.name);
  required(c.level, "level", u.level);
  if (c.parent) u.parent = cell(c.parent);
  if (c.source) u.source = cell(c.source);
  for (const auto& [col, mi] : c.targets) {
    const std::string_view text = cell(col);
    if (text.empty()) continue;
    if (u.targets.empty()) u.targets.reserve(c.targets.size());  // one allocation, not a regrowth
    const Metric& m = p.metrics[static_cast<std::size_t>(mi)];
    std::int64_t n = 0;
    // A count is a whole number; a rate or average reads as its JSON string
    // would ("90%", "0.9"), with the same checks and messages.
    // (A count read as a whole number is checked already: no place text is made.)
    const bool whole = whole_number(text, n);
    const Ratio value = whole && m.kind == MetricKind::count
                            ? Ratio(n)
                            : read_metric_value(m, whole ? json(n) : json(std::string(text)),
                                                csv.where(row.line, col));
    u.targets.push_back(ModelAccess::target(m.id, mi, value, TargetOrigin::given));
  }
  // In metric order, as the JSON object's sorted keys give them.
  std::sort(u.targets.begin(), u.targets.end(),
            [](const Target& x, const Target& y) { return x.metric < y.metric; });
  for (const auto& [col, name] : c.bases) {
    const std::string_view text = cell(col);
    if (text.empty()) continue;
    std::int64_t n = 0;
    if (!whole_number(text, n))
      csv.fail(row.line, col, "expected a whole number >= 0, got " + in_quotes(std::string(text)));
    u.bases.emplace_back(name, n);
  }
  std::sort(u.bases.begin(), u.bases.end(),
            [](const auto& x, const auto& y) { return x.first < y.first; });
}

// Rows of a national table read on two threads (issue 15: 700,000 rows, the
// largest part of a validate). The rows are cut after the line feed nearest
// the middle, each half read into its own range of units. Only text the cut
// cannot misread is taken (no quote anywhere, so every line feed ends a row),
// and nothing that fails: false on any error, a blank row or a repeated id,
// and the caller reads sequentially, so every message and its order are the
// sequential reader's. The result does not depend on the thread count.
constexpr std::size_t kParallelRows = 50'000;

bool read_rows_parallel(const CsvReader& csv, const Columns& c, const Policy& p, UnitTree& tree,
                        std::vector<std::uint32_t>& lines) {
  const std::string_view rest = csv.rest();
  if (thread_count(0) < 2 || rest.find('"') != std::string_view::npos) return false;
  const std::size_t cut = rest.find('\n', rest.size() / 2);
  if (cut == std::string_view::npos || cut + 1 >= rest.size()) return false;
  const std::string_view piece[2] = {rest.substr(0, cut + 1), rest.substr(cut + 1)};
  const auto feeds = [](std::string_view s) {
    return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
  };
  const std::size_t first = feeds(piece[0]);  // rows of the first half, one a line
  const std::size_t most = first + feeds(piece[1]) + 1;
  tree.units.resize(most);
  lines.resize(most);
  const std::size_t base[2] = {0, first};
  const std::size_t room[2] = {first, most - first};
  std::size_t read[2] = {0, 0};
  bool failed[2] = {false, false};
  const auto part = [&](int k) {
    try {
      CsvReader in(csv, piece[k], csv.line() + base[k]);
      CsvFields row;
      while (in.next_view(row)) {
        if (read[k] == room[k]) throw std::length_error("more rows than lines");
        const std::size_t i = base[k] + read[k]++;
        read_row(in, row, c, p, tree.units[i]);
        lines[i] = static_cast<std::uint32_t>(row.line);
      }
      if (in.empty_row_line() != 0) failed[k] = true;
    } catch (...) {
      failed[k] = true;
    }
  };
  try {
    std::thread second(part, 1);
    part(0);
    second.join();
  } catch (const std::system_error&) {
    return false;  // no thread: read sequentially
  }
  if (failed[0] || failed[1] || read[0] != first) return false;
  tree.units.resize(first + read[1]);
  lines.resize(first + read[1]);
  for (std::size_t i = 0; i < tree.units.size(); ++i)
    if (ModelAccess::add_to_index(tree, static_cast<int>(i)) >= 0) return false;
  return true;
}

std::string table_name(const json& spec, const std::string& path) {
  ObjectReader r(spec, path);
  const std::string name = r.string("table");
  r.optional("allocate");
  r.done();
  return name;
}

}  // namespace

UnitTree read_unit_table(const json& spec, const std::string& path, const Policy& p,
                         const PolicyFiles& files) {
  const std::string name = table_name(spec, path);
  const auto file = files.tables.find(name);
  if (file == files.tables.end()) {
    fail_at(
        path_key(path, "table"),
        "no unit table " + in_quotes(name) +
            " was handed over with the policy (the library opens no file: load_policy_file "
            "and the CLI read it from the policy's folder; otherwise pass its text as "
            "PolicyFiles, canbao_policy_from_json_files in C, \"policy_files\" in a request, or "
            "Policy.from_json(tables=...))");
  }
  auto places = std::make_shared<UnitPlaces>();
  places->path = path;
  places->table = name;
  UnitTree tree;
  std::vector<std::size_t> placeholders;
  try {
    // Read in place, fields as views (issue 15: no copy of the 30 MB text and
    // no string per cell), and room for every row at once (a line is at most
    // one row): no regrowth of 700,000 units.
    const std::string& text = file->second;
    CsvReader csv(std::string_view(text), name);
    const std::size_t lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
    reserve_huge(tree.units, lines);  // 272 bytes a unit: 200 MB at 700,000
    places->lines.reserve(lines);
    ModelAccess::reserve_index(tree, lines);
    const Columns c = read_columns(csv, p, *places);
    const bool parallel =
        lines >= kParallelRows && read_rows_parallel(csv, c, p, tree, places->lines);
    if (!parallel && !tree.units.empty()) {
      tree = UnitTree();  // the sequential reader starts afresh
      places->lines.clear();
      reserve_huge(tree.units, lines);
      ModelAccess::reserve_index(tree, lines);
    }
    CsvFields row;
    while (!parallel && csv.next_view(row)) {
      const std::size_t i = tree.units.size();
      // Read in place: the index's keys are the units' own ids.
      Unit& u = tree.units.emplace_back();
      const bool ok = guarded([&] {
        read_row(csv, row, c, p, u);
        const int first = ModelAccess::add_to_index(tree, static_cast<int>(i));
        if (first >= 0) {
          csv.fail(row.line, c.id,
                   "duplicate unit id " + in_quotes(u.id) + " (also " +
                       csv.where(places->lines[static_cast<std::size_t>(first)], c.id) + ")");
        }
      });
      if (!ok) {
        // A placeholder, as for inline units (unit_tree.cpp read_units).
        u = Unit{};
        u.id = std::string(row.fields[c.id - 1]);
        u.name = std::string(row.fields[c.name - 1]);
        u.level = std::string(row.fields[c.level - 1]);
        if (c.parent) u.parent = std::string(row.fields[c.parent - 1]);
        active_check()->failed_units.insert(u.id);
        placeholders.push_back(i);
      }
      places->lines.push_back(static_cast<std::uint32_t>(row.line));
    }
  } catch (const PolicyError&) {
    throw;
  } catch (const Error& e) {
    // The CSV reader's syntax and encoding errors, as policy errors at file:line:column.
    throw PolicyError(e.where(), e.message());
  }
  if (tree.units.empty()) fail_at(name, "a policy needs at least one unit; the table has no rows");
  for (std::size_t i : placeholders) ModelAccess::index_first(tree, static_cast<int>(i));
  // Allocation rules stay in the JSON, keyed by the parent's id.
  if (const json* alloc = spec.contains("allocate") ? &spec["allocate"] : nullptr) {
    const std::string at = path_key(path, "allocate");
    if (!alloc->is_object()) fail_at(at, "expected an object, got " + json_type_name(*alloc));
    for (auto it = alloc->begin(); it != alloc->end(); ++it) {
      const std::string unit_at = path_key(at, it.key());
      const int u = tree.find(it.key());
      if (u < 0) fail_at(unit_at, "no unit " + in_quotes(it.key()) + " in " + in_quotes(name));
      if (!it.value().is_array())
        fail_at(unit_at, "expected an array, got " + json_type_name(it.value()));
      tree.units[static_cast<std::size_t>(u)].allocations =
          read_allocations(it.value(), unit_at, p);
    }
  }
  ModelAccess::table(tree) = name;
  ModelAccess::places(tree) = places;
  finish_units(tree, p, *places);
  return tree;
}

// ---------------------------------------------------------------- places

std::string UnitPlaces::at(std::size_t unit, const std::string& field,
                           const std::string& key) const {
  if (!is_table()) {
    const std::string f = path_key(path_index(path, unit), field);
    // A base is named when it is missing: the path stops at the object.
    return key.empty() || field == "bases" ? f : path_key(f, key);
  }
  std::string column;
  if (field == "targets")
    column = key.empty() ? "" : "target." + key;
  else if (field == "bases")
    column = key.empty() ? "" : "base." + key;
  else
    column = field;
  const auto it = columns.find(column);
  std::string where = table + ":" + std::to_string(lines[unit]);
  if (it != columns.end()) where += ":" + std::to_string(it->second);
  return where;
}

std::string UnitPlaces::allocation(std::size_t unit, const std::string& unit_id,
                                   std::size_t k) const {
  if (!is_table()) return path_index(path_key(path_index(path, unit), "allocate"), k);
  return path_index(path_key(path_key(path, "allocate"), unit_id), k);
}

std::string UnitPlaces::unit(std::size_t u) const {
  if (!is_table()) return path_index(path, u);
  return table + ":" + std::to_string(lines[u]);
}

const UnitPlaces& unit_places(const UnitTree& tree) {
  static const UnitPlaces inline_units;
  const auto& places = ModelAccess::places(tree);
  return places ? *places : inline_units;
}

}  // namespace canbao::detail
