// read_progress_csv_file on several threads (issue 15): a file of a few MB
// is cut into parts read side by side; the Progress, the notes and the first
// error (in file order, worded alike) must not depend on the thread count.
#include <canbao/progress.hpp>

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <string>

using namespace canbao;

namespace {

const std::string data_dir = std::string(CANBAO_SOURCE_DIR) + "/tests/data/progress/";

PolicyPtr tiers_policy() { return load_policy_file(data_dir + "tiers-policy.json"); }

constexpr int kRows = 48000;  // about 2.5 MB: above the size read on one thread

// Row i of a good file: four villages x three counts, one day each, with a
// submitted day on every other row and an ignored note column.
std::string good_row(int i, const std::string& note = "note") {
  static const char* const units[] = {"v1", "v2", "v3", "v4"};
  static const char* const metrics[] = {"resident_should_enroll", "resident_enrolled",
                                        "resident_paid"};
  const Date day = Date::from_day_number(parse_iso_date("1950-01-01")->day_number() + i / 12);
  const std::string submitted =
      i % 2 ? Date::from_day_number(day.day_number() + 3).iso() : std::string();
  return std::string(units[i % 4]) + "," + metrics[(i / 4) % 3] + "," + day.iso() + "," +
         std::to_string(1000 + i % 977) + "," + submitted + "," + note;
}

// A file of the good rows, row i replaced by edit(i, row) (an empty string
// from edit keeps the row).
std::string write_file(const std::string& name, const std::function<std::string(int)>& edit = {}) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream out(path, std::ios::binary);
  out << "unit_id,metric,date,value,submitted,备注\n";
  for (int i = 0; i < kRows; ++i) {
    const std::string e = edit ? edit(i) : std::string();
    out << (e.empty() ? good_row(i) : e) << "\n";
  }
  return path;
}

std::string error_of(const std::string& path, unsigned threads) {
  try {
    read_progress_csv_file(tiers_policy(), path, TableFormat{}, nullptr, threads);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

// Every figure a reader can see: each count series, and the rows reported.
void expect_same(const Progress& a, const Progress& b) {
  const Policy& p = a.policy();
  ASSERT_EQ(a.observation_count(), b.observation_count());
  const Date as_of = *parse_iso_date("2100-01-01");
  for (std::size_t u = 0; u < p.units.units.size(); ++u) {
    const int unit = static_cast<int>(u);
    for (std::size_t m = 0; m < p.metrics.size(); ++m) {
      const int metric = static_cast<int>(m);
      if (p.metrics[m].kind != MetricKind::count) continue;
      const SeriesView x = a.count_series(unit, metric), y = b.count_series(unit, metric);
      ASSERT_EQ(x.size, y.size) << p.units.units[u].id << " " << p.metrics[m].id;
      for (std::size_t k = 0; k < x.size; ++k) {
        ASSERT_EQ(x.days[k], y.days[k]);
        ASSERT_EQ(x.values[k], y.values[k]);
      }
      EXPECT_EQ(a.has_own(unit, metric), b.has_own(unit, metric));
    }
    const RowsReported r = a.rows_reported(unit, *parse_iso_date("1950-01-01"), as_of, as_of);
    const RowsReported s = b.rows_reported(unit, *parse_iso_date("1950-01-01"), as_of, as_of);
    EXPECT_EQ(r.rows, s.rows);
    EXPECT_EQ(r.undated, s.undated);
    EXPECT_EQ(r.last_submitted, s.last_submitted);
  }
}

}  // namespace

TEST(ProgressCsvParallel, GoodFileGivesTheSameProgressAndNotesOnAnyThreadCount) {
  const std::string path = write_file("canbao-par-good.csv");
  const PolicyPtr p = tiers_policy();
  TableNotes one_notes;
  const Progress one = read_progress_csv_file(p, path, TableFormat{}, &one_notes, 1);
  EXPECT_EQ(one.observation_count(), static_cast<std::size_t>(kRows));
  EXPECT_EQ(one_notes.ignored_columns, std::vector<std::string>{"备注"});
  // The town is its villages' sum; a village's last figure is its last row's.
  const int v4 = p->units.find("v4"), paid = p->metric_index("resident_paid");
  const int last = kRows - 1;  // row 47999: v4, resident_paid
  const Date last_day =
      Date::from_day_number(parse_iso_date("1950-01-01")->day_number() + last / 12);
  EXPECT_EQ(one.count(v4, paid, last_day), 1000 + last % 977);
  for (unsigned threads : {2u, 3u, 7u}) {
    TableNotes notes;
    const Progress many = read_progress_csv_file(p, path, TableFormat{}, &notes, threads);
    EXPECT_EQ(notes.ignored_columns, one_notes.ignored_columns);
    expect_same(one, many);
  }
  std::remove(path.c_str());
}

// Quoted notes over two lines in both halves: the lines after them, named by
// an error found after indexing (a duplicate), are the same on two threads.
TEST(ProgressCsvParallel, LinesAfterMultiLineFieldsInEachPartAreNamedAlike) {
  const std::string path = write_file("canbao-par-multiline.csv", [](int i) -> std::string {
    if (i == 100 || i == 30000) return good_row(i, "\"two\nlines\"");
    if (i == 40000) return good_row(0);  // the same (unit, metric, day) as row 0
    return "";
  });
  // Row 40000 is on line 40000 + 2, plus the two extra lines before it.
  const std::string expected =
      path + ":40004: duplicate observation of \"resident_should_enroll\" for unit \"v1\" on " +
      "1950-01-01 (also at " + path + ":2)";
  EXPECT_EQ(error_of(path, 1), expected);
  EXPECT_EQ(error_of(path, 2), expected);
  EXPECT_EQ(error_of(path, 5), expected);
  std::remove(path.c_str());
}

TEST(ProgressCsvParallel, BadRowInTheSecondPartIsNamedAsOnOneThread) {
  const std::string path = write_file("canbao-par-bad2.csv", [](int i) -> std::string {
    return i == 40000 ? "v9,resident_paid,2021-01-01,5,," : "";
  });
  const std::string expected = path + ":40002:1: unknown unit \"v9\" (not in the policy)";
  EXPECT_EQ(error_of(path, 1), expected);
  EXPECT_EQ(error_of(path, 2), expected);
  EXPECT_EQ(error_of(path, 4), expected);
  std::remove(path.c_str());
}

TEST(ProgressCsvParallel, OfErrorsInBothPartsTheFirstInFileOrderWins) {
  const std::string path = write_file("canbao-par-bad12.csv", [](int i) -> std::string {
    if (i == 20000) return "v1,resident_paid,2021-02-29,5,,";
    if (i == 40000) return "v9,resident_paid,2021-01-01,5,,";
    return "";
  });
  const std::string expected =
      path + ":20002:3: 2021-02-29 is not a date (2021 is not a leap year)";
  EXPECT_EQ(error_of(path, 1), expected);
  EXPECT_EQ(error_of(path, 2), expected);
  EXPECT_EQ(error_of(path, 3), expected);
  std::remove(path.c_str());
}

// A ",,," row in the first part with data after it in the second is an
// error only the whole file shows; a field-count error too.
TEST(ProgressCsvParallel, EmptyRowBeforeLaterDataAndShortRowsAreNamedAlike) {
  const std::string empty = write_file(
      "canbao-par-empty.csv", [](int i) -> std::string { return i == 100 ? ",,,,," : ""; });
  EXPECT_EQ(error_of(empty, 2), error_of(empty, 1));
  EXPECT_NE(error_of(empty, 1).find(":102: an empty row between data rows (line 103"),
            std::string::npos);
  std::remove(empty.c_str());
  const std::string shortrow = write_file("canbao-par-short.csv", [](int i) -> std::string {
    return i == 47000 ? "v1,resident_paid" : "";
  });
  EXPECT_EQ(error_of(shortrow, 2), error_of(shortrow, 1));
  EXPECT_NE(error_of(shortrow, 1).find(":47002"), std::string::npos);
  std::remove(shortrow.c_str());
}

// Empty rows at the very end (as Excel leaves them) are no error on any count.
TEST(ProgressCsvParallel, TrailingEmptyRowsAreNoRows) {
  const std::string path = write_file("canbao-par-trailing.csv");
  {
    std::ofstream out(path, std::ios::binary | std::ios::app);
    out << ",,,,,\n\n,,,,,\n";
  }
  const PolicyPtr p = tiers_policy();
  for (unsigned threads : {1u, 2u, 3u}) {
    const Progress g = read_progress_csv_file(p, path, TableFormat{}, nullptr, threads);
    EXPECT_EQ(g.observation_count(), static_cast<std::size_t>(kRows));
  }
  std::remove(path.c_str());
}

namespace {

// A town of `villages` villages with two counts: enough (unit, metric) slots
// that Progress::build sorts and checks them on several threads.
PolicyPtr wide_policy(int villages) {
  std::string units = R"({"id": "town", "name": "镇", "level": "town"})";
  for (int v = 0; v < villages; ++v) {
    units += R"(, {"id": "v)" + std::to_string(v) + R"(", "name": "村)" + std::to_string(v) +
             R"(", "level": "village", "parent": "town"})";
  }
  return load_policy(R"({"schema": "canbao.policy/1",
    "campaign": {"id": "wide", "title": "wide", "year": 2021,
                 "phases": [{"id": "all", "name": "全年", "start": "2021-01-01", "end": "2021-12-31"}]},
    "metrics": [{"id": "a", "name": "a", "kind": "count"}, {"id": "b", "name": "b", "kind": "count"}],
    "units": [)" + units +
                     "]}");
}

}  // namespace

// Repeated days in two slots in different ranges: the one in the lower slot
// (metric "a" of the last village, though later in the records) is named, as
// a single pass names it; a good set's rolled-up town adds every village.
TEST(ProgressBuildParallel, FirstRepeatedDayInSlotOrderIsNamed) {
  const PolicyPtr p = wide_policy(40000);  // 80,002 slots
  ObservationColumns c;
  const std::int32_t d0 = parse_iso_date("2021-01-31")->day_number();
  for (int v = 0; v < 40000; ++v) {
    for (int m = 0; m < 2; ++m) {
      for (int k = 0; k < 3; ++k) {
        c.unit.push_back(v + 1);
        c.metric.push_back(m);
        c.day.push_back(d0 + 30 * k);
        c.value.push_back(1);
      }
    }
  }
  const Progress g = Progress::from_columns(p, c);
  EXPECT_EQ(g.count(0, 1, Date::from_day_number(d0 + 60)), 40000);
  ObservationColumns bad = c;
  bad.day[5] = d0;       // v0, "b" (slot 40,002): repeats row 3's day
  bad.day[239995] = d0;  // v39999, "a" (slot 40,000): repeats row 239,994's
  try {
    Progress::from_columns(p, bad);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              "records[239995]: duplicate observation of \"a\" for unit \"v39999\" on 2021-01-31 "
              "(also at records[239994])");
  }
}
