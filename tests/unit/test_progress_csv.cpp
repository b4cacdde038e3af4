#include <canbao/progress.hpp>

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

using namespace canbao;

namespace {

const std::string data_dir = std::string(CANBAO_SOURCE_DIR) + "/tests/data/progress/";

PolicyPtr tiers_policy() { return load_policy_file(data_dir + "tiers-policy.json"); }

std::string csv_error(const std::string& file) {
  try {
    read_progress_csv_file(tiers_policy(), data_dir + file);
  } catch (const InputError& e) {
    // Strip the directory so the expectation reads like the message a user sees.
    std::string w = e.what();
    return w.substr(w.find(file));
  }
  return "no error";
}

}  // namespace

TEST(ProgressCsv, ReadsColumnsInAnyOrderWithBomCrlfAndQuotedValues) {
  const PolicyPtr p = tiers_policy();
  const Progress g = read_progress_csv_file(p, data_dir + "bom-reordered.csv");
  const int v1 = p->units.find("v1");
  const Date day = *parse_iso_date("2021-06-30");
  EXPECT_EQ(g.count(v1, p->metric_index("resident_enrolled"), day), 880);
  EXPECT_EQ(*g.value(v1, p->metric_index("enrollment_rate"), day), Ratio(880, 950));
}

TEST(ProgressCsv, UnknownUnitWithChineseIdIsNamedIntactWithLineAndColumn) {
  EXPECT_EQ(csv_error("chinese-unit.csv"),
            "chinese-unit.csv:3:1: unknown unit \"东风村\" (not in the policy)");
}

TEST(ProgressCsv, DuplicateObservationNamesBothLines) {
  EXPECT_EQ(csv_error("duplicate.csv"),
            "duplicate.csv:4: duplicate observation of \"resident_enrolled\" for unit \"v1\" on "
            "2021-06-30 (also at " +
                data_dir + "duplicate.csv:2)");
}

TEST(ProgressCsv, RateColumnIsRejectedAtItsMetricCell) {
  EXPECT_EQ(csv_error("rate-observed.csv"),
            "rate-observed.csv:2:2: metric \"payment_rate\" is a rate (resident_paid / "
            "resident_enrolled): report "
            "its numerator and denominator, not the rate");
}

TEST(ProgressCsv, ImpossibleDateIsRejectedWithReason) {
  EXPECT_EQ(csv_error("bad-date.csv"),
            "bad-date.csv:2:3: 2021-02-29 is not a date (2021 is not a leap year)");
}

TEST(ProgressCsv, NegativeCountIsRejectedAtItsValueCell) {
  EXPECT_EQ(csv_error("negative.csv"),
            "negative.csv:2:4: value of \"resident_paid\" must be >= 0, got -5");
}

// Issue 13 changed the rule: a column canbao does not read (a note, a unit
// name) is ignored and listed for the caller, who tells the person (the CLI
// on stderr); it is not dropped unseen.
TEST(ProgressCsv, ExtraColumnIsIgnoredAndListedForTheCaller) {
  const PolicyPtr p = tiers_policy();
  TableNotes notes;
  const Progress g = read_progress_csv_file(p, data_dir + "extra-column.csv", {}, &notes);
  EXPECT_EQ(notes.ignored_columns, std::vector<std::string>{"note"});
  // v1,resident_paid,2021-06-30,5: the row is read.
  EXPECT_EQ(
      g.count(p->units.find("v1"), p->metric_index("resident_paid"), *parse_iso_date("2021-06-30")),
      5);
}

TEST(ProgressCsv, MissingColumnAndNonIntegerValueAreErrors) {
  std::istringstream no_value("unit_id,metric,date\nv1,resident_paid,2021-06-30\n");
  EXPECT_THROW(read_progress_csv(tiers_policy(), no_value, "x.csv"), InputError);
  std::istringstream decimal("unit_id,metric,date,value\nv1,resident_paid,2021-06-30,1.5\n");
  try {
    read_progress_csv(tiers_policy(), decimal, "x.csv");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "x.csv:2:4: expected a whole number, got \"1.5\"");
  }
  std::istringstream empty("");
  EXPECT_THROW(read_progress_csv(tiers_policy(), empty, "x.csv"), InputError);
}

namespace {

std::string text_error(const std::string& text) {
  std::istringstream in(text);
  try {
    read_progress_csv(tiers_policy(), in, "p.csv");
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST(ProgressCsv, BytesThatAreNotUtf8NameLineColumnAndByte) {
  // 东风村 saved as GBK: B6 AB starts with a byte that never starts UTF-8.
  EXPECT_EQ(text_error("unit_id,metric,date,value\nv1,resident_enrolled,2021-06-30,880\n"
                       "\xB6\xAB,resident_enrolled,2021-06-30,880\n"),
            "p.csv:3:1: not valid UTF-8 (byte 0xB6); the file looks like GB18030/GBK (Excel on "
            "Chinese Windows): give --encoding gb18030");
}

TEST(ProgressCsv, DateOutsideTheSupportedRangeNamesItsCell) {
  EXPECT_EQ(text_error("unit_id,metric,date,value\nv1,resident_enrolled,2300-01-01,880\n"),
            "p.csv:2:3: 2300-01-01 is outside the supported range 1900-01-01..2200-12-31");
  EXPECT_EQ(text_error("unit_id,metric,date,value\nv1,resident_enrolled,1899-12-31,880\n"),
            "p.csv:2:3: 1899-12-31 is outside the supported range 1900-01-01..2200-12-31");
}

TEST(ProgressCsv, LongUnknownValueIsQuotedAsAShortExcerpt) {
  const std::string e = text_error("unit_id,metric,date,value\n" + std::string(5000, 'u') +
                                   ",resident_enrolled,"
                                   "2021-06-30,880\n");
  EXPECT_LT(e.size(), 200u) << e;
  EXPECT_EQ(e.rfind("p.csv:2:1: unknown unit \"uuu", 0), 0u) << e;
}

TEST(ProgressCsv, OfficeDatesAreTheSameDay) {
  const PolicyPtr p = tiers_policy();
  std::istringstream office("unit_id,metric,date,value\nv1,resident_enrolled,2021/6/30,880\n");
  std::istringstream iso("unit_id,metric,date,value\nv1,resident_enrolled,2021-06-30,880\n");
  const Progress a = read_progress_csv(p, office, "a.csv");
  const Progress b = read_progress_csv(p, iso, "b.csv");
  const int v1 = p->units.find("v1");
  const Date day = *parse_iso_date("2021-06-30");
  EXPECT_EQ(a.count(v1, p->metric_index("resident_enrolled"), day), 880);
  EXPECT_EQ(a.count(v1, p->metric_index("resident_enrolled"), day),
            b.count(v1, p->metric_index("resident_enrolled"), day));
  EXPECT_EQ(
      text_error("unit_id,metric,date,value\nv1,resident_enrolled,30/6/2021,880\n").substr(0, 38),
      "p.csv:2:3: expected a date as YYYY/M/D");
}

// The rows as read, before indexing (the Python read_progress hands them on as
// a table): unit and metric indices, day numbers, values, and each row's line.
TEST(ProgressCsv, RowsAsReadKeepOrderAndLines) {
  const PolicyPtr p = tiers_policy();
  std::istringstream in(
      "unit_id,metric,date,value,备注\n"
      "v1,resident_enrolled,2021-06-30,880,\n"
      "\n"
      "v1,resident_enrolled,2021/6/1,\"1,000\",x\n");
  TableNotes notes;
  const ProgressRows rows = read_progress_rows(*p, in, "p.csv", TableFormat{}, &notes);
  ASSERT_EQ(rows.columns.unit.size(), 2u);
  EXPECT_EQ(rows.columns.unit[1], p->units.find("v1"));
  EXPECT_EQ(rows.columns.metric[0], p->metric_index("resident_enrolled"));
  EXPECT_EQ(rows.columns.day[1], parse_iso_date("2021-06-01")->day_number());
  EXPECT_EQ(rows.columns.value[1], 1000);                   // "1,000" as offices write it
  EXPECT_EQ(rows.lines, (std::vector<std::size_t>{2, 4}));  // the empty line 3 is no row
  EXPECT_TRUE(rows.columns.segment.empty() && rows.columns.submitted.empty());
  EXPECT_EQ(notes.ignored_columns, std::vector<std::string>{"备注"});
}

// Errors found after indexing name each row's line, also after a quoted note
// over two lines (a row's line is not its index + 2 from there on).
TEST(ProgressCsv, LinesAfterAMultiLineFieldAreNamedRight) {
  std::istringstream in(
      "unit_id,metric,date,value,备注\n"
      "v1,resident_enrolled,2021-06-30,880,\"two\nlines\"\n"
      "v1,resident_paid,2021-06-30,800,\n"
      "v1,resident_enrolled,2021-06-30,881,\n");
  try {
    read_progress_csv(tiers_policy(), in, "p.csv", TableFormat{});
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              "p.csv:5: duplicate observation of \"resident_enrolled\" for unit \"v1\" on "
              "2021-06-30 (also at p.csv:2)");
  }
}

// A file of 70,000 rows read from disk: the columns are sized from the first
// rows and the pages read are given back as the reading goes; every row is
// still read, and an error at the end names its line and the first.
TEST(ProgressCsv, LongFileIsReadWholeAndNamesLateLines) {
  const std::string path = ::testing::TempDir() + "canbao-long-progress.csv";
  const Date first = *parse_iso_date("1950-01-01");
  {
    std::ofstream out(path, std::ios::binary);
    out << "unit_id,metric,date,value\n";
    for (int i = 0; i < 70000; ++i) {
      out << "v1,resident_enrolled," << Date::from_day_number(first.day_number() + i).iso() << ","
          << i << "\n";
    }
  }
  const PolicyPtr p = tiers_policy();
  const int v1 = p->units.find("v1"), enrolled = p->metric_index("resident_enrolled");
  const Progress g = read_progress_csv_file(p, path);
  EXPECT_EQ(g.observation_count(), 70000u);
  EXPECT_EQ(g.count(v1, enrolled, Date::from_day_number(first.day_number() + 69999)), 69999);
  EXPECT_EQ(g.count(v1, enrolled, Date::from_day_number(first.day_number() + 12345)), 12345);
  {
    std::ofstream out(path, std::ios::binary | std::ios::app);
    out << "v1,resident_enrolled,1950-01-01,5\n";
  }
  try {
    read_progress_csv_file(p, path);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), path +
                                         ":70002: duplicate observation of \"resident_enrolled\" "
                                         "for unit \"v1\" on 1950-01-01 (also at " +
                                         path + ":2)");
  }
  std::remove(path.c_str());
}

// The table readers' own checks, alone: a bad byte in field 3 of a tab-separated
// line (after a comma in field 2) is named at 2:3; good text passes.
TEST(ProgressCsv, CheckTableTextNamesTheReadersPlace) {
  std::istringstream bad("a\tb\tc\nx\ty,z\t\xff\n");
  try {
    check_table_text(bad, "t.tsv");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where(), "t.tsv:2:3");
    EXPECT_NE(std::string(e.what()).find("not valid UTF-8 (byte 0xFF)"), std::string::npos);
  }
  std::istringstream good("a,b\n\"x\ny\",z\n");
  EXPECT_NO_THROW(check_table_text(good, "t.csv"));
}
