// Tables as offices produce them (issue 13 item 1, docs/office-data.md):
// encodings, delimiters, Chinese headers, unit names, office dates and
// numbers, extra columns and trailing empty rows, for progress and roster.
#include <canbao/error.hpp>
#include <canbao/progress.hpp>
#include <canbao/roster.hpp>
#include <canbao/table_format.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "detail/office_number.hpp"

using namespace canbao;

namespace {

const std::string kOffice = std::string(CANBAO_SOURCE_DIR) + "/tests/data/office/";
const std::string kExamples = std::string(CANBAO_SOURCE_DIR) + "/examples/";

PolicyPtr tiers() {
  return load_policy_file(std::string(CANBAO_SOURCE_DIR) +
                          "/tests/data/progress/tiers-policy.json");
}

const Date kJune30 = *Date::from_ymd(2021, 6, 30);

// What read_progress_csv throws for `text`, or "no error".
std::string progress_error(const std::string& text, TableFormat f = {}) {
  std::istringstream in(text);
  try {
    read_progress_csv(tiers(), in, "p.csv", f);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

Progress progress(const std::string& text, TableFormat f = {}, TableNotes* notes = nullptr) {
  std::istringstream in(text);
  return read_progress_csv(tiers(), in, "p.csv", f, notes);
}

std::int64_t enrolled(const Progress& g, const char* unit) {
  const Policy& p = g.policy();
  return g.count(p.units.find(unit), p.metric_index("resident_enrolled"), kJune30);
}

}  // namespace

// ---- encodings ----

TEST(OfficeInput, Gb18030IsConvertedWhenAskedFor) {
  // 一村 in GB18030 is D2 BB B4 E5; 指标 is D6 B8 B1 EA. The header 单位,指标,日期,数值.
  const std::string gb =
      "\xB5\xA5\xCE\xBB,\xD6\xB8\xB1\xEA,\xC8\xD5\xC6\xDA,\xCA\xFD\xD6\xB5\r\n"
      "\xD2\xBB\xB4\xE5,resident_enrolled,2021/6/30,880\r\n";
  EXPECT_EQ(enrolled(progress(gb, {TextEncoding::gb18030}), "v1"), 880);
  // Not asked for: an error naming line 1, column 1, the byte in hex, and what to do.
  EXPECT_EQ(progress_error(gb),
            "p.csv:1:1: not valid UTF-8 (byte 0xB5); the file looks like GB18030/GBK (Excel on "
            "Chinese Windows): give --encoding gb18030");
}

TEST(OfficeInput, BytesThatAreNeitherUtf8NorGb18030SayWhatToDoInHex) {
  // 0xFF is never GB18030 either: no hint that would be wrong.
  const std::string bad = "unit_id,metric,date,value\nv1\xFF,resident_enrolled,2021-06-30,1\n";
  EXPECT_EQ(progress_error(bad),
            "p.csv:2:1: not valid UTF-8 (byte 0xFF); save the file as UTF-8 (or give --encoding "
            "gb18030 if it is GB18030/GBK)");
  // Declared GB18030: 0x81 followed by ',' is a cut character; line and column, hex.
  EXPECT_EQ(progress_error("unit_id,metric,date,value\nv1,resident_enrolled,2021-06-30,\x81\n",
                           {TextEncoding::gb18030}),
            "p.csv:2:4: not valid GB18030 (bytes 0x81); is the file in another encoding? (UTF-8: "
            "leave out --encoding)");
  // UTF-8 text before a GB18030 byte: a mixed file, said so.
  EXPECT_EQ(progress_error("单位,metric,date,value\n\xB6\xAB,resident_enrolled,2021-06-30,1\n"),
            "p.csv:2:1: not valid UTF-8 (byte 0xB6), while earlier lines hold UTF-8 text: the "
            "file mixes encodings; save it again as UTF-8");
  // A UTF-8 BOM with GB18030 asked for: the file is UTF-8.
  EXPECT_NE(progress_error("\xEF\xBB\xBFunit_id,metric,date,value\n", {TextEncoding::gb18030})
                .find("p.csv:1:1: the file starts with a UTF-8 byte order mark, but GB18030"),
            std::string::npos);
}

TEST(OfficeInput, EncodingAndDelimiterNamesAreExact) {
  EXPECT_EQ(parse_text_encoding("gbk"), TextEncoding::gb18030);  // read as its superset
  EXPECT_EQ(parse_text_encoding("gb18030"), TextEncoding::gb18030);
  EXPECT_EQ(parse_text_encoding("utf-8"), TextEncoding::utf8);
  EXPECT_FALSE(parse_text_encoding("GBK"));
  EXPECT_FALSE(parse_text_encoding("big5"));
  EXPECT_EQ(parse_table_delimiter("tab"), TableDelimiter::tab);
  EXPECT_FALSE(parse_table_delimiter(";"));
}

// ---- delimiters, headers, extra columns, empty rows ----

TEST(OfficeInput, TabsAreDecidedByTheHeaderLineAndBothIsAnError) {
  EXPECT_EQ(enrolled(progress("unit_id\tmetric\tdate\tvalue\nv1\tresident_enrolled\t2021-06-30\t"
                              "\"1,330\"\n"),
                     "v1"),
            1330);
  EXPECT_EQ(progress_error("unit_id,metric\tdate,value\n"),
            "p.csv:1: the header line has both commas and tabs: is the file comma- or "
            "tab-separated? Give --delimiter comma or --delimiter tab");
  // Told: the tab is part of a name, so the header has no column "metric".
  EXPECT_NE(
      progress_error("unit_id,metric\tdate,value\n", {TextEncoding::utf8, TableDelimiter::comma})
          .find("no column \"metric\""),
      std::string::npos);
}

TEST(OfficeInput, ChineseHeadersTrimmedAndTwiceNamedColumnsNameBothCells) {
  // " 数值 " with spaces, as Excel headers carry them.
  EXPECT_EQ(
      enrolled(progress("单位编码,指标,日期, 数值 \nv1,resident_enrolled,2021-06-30,880\n"), "v1"),
      880);
  EXPECT_EQ(progress_error("单位,metric,date,unit_id,value\n"),
            "p.csv:1:4: columns \"单位\" (column 1) and \"unit_id\" (column 4) both name unit_id; "
            "keep one of them");
  EXPECT_EQ(progress_error("单位编码,单位,指标,日期,数值\n"),
            "p.csv:1:2: columns \"单位编码\" (column 1) and \"单位\" (column 2) both name unit_id; "
            "keep one of them");
}

TEST(OfficeInput, UnitNamesInA单位ColumnMatchExactlyOneUnit) {
  EXPECT_EQ(enrolled(progress("单位,指标,日期,数值\n一村,resident_enrolled,2021/6/30,880\n"), "v1"),
            880);
  // 单位编码 holds ids only.
  EXPECT_EQ(progress_error("单位编码,指标,日期,数值\n一村,resident_enrolled,2021/6/30,880\n"),
            "p.csv:2:1: unknown unit \"一村\" (not in the policy)");
  // Two units named 一村: the error lists both ids.
  std::ifstream f(std::string(CANBAO_SOURCE_DIR) + "/tests/data/progress/tiers-policy.json");
  nlohmann::json doc = nlohmann::json::parse(f);
  doc["units"][2]["name"] = "一村";
  const PolicyPtr twice = load_policy(doc.dump(), "twice.json");
  std::istringstream in("单位,指标,日期,数值\n一村,resident_enrolled,2021/6/30,880\n");
  try {
    read_progress_csv(twice, in, "p.csv", TableFormat{});
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(),
                 "p.csv:2:1: unit name \"一村\" is ambiguous: units v1, v2 have it; write the id");
  }
}

TEST(OfficeInput, ExtraProgressColumnsAreIgnoredAndReported) {
  TableNotes notes;
  const Progress g = progress(
      "name,unit_id,metric,date,value,备注\n一村,v1,resident_enrolled,2021-06-30,880,补报\n", {},
      &notes);
  EXPECT_EQ(enrolled(g, "v1"), 880);
  EXPECT_EQ(notes.ignored_columns, (std::vector<std::string>{"name", "备注"}));
  // An ID number as a header is never listed whole.
  TableNotes masked;
  progress("unit_id,metric,date,value,500115198003012010\n", {}, &masked);
  EXPECT_EQ(masked.ignored_columns, std::vector<std::string>{"500115********2010"});
}

TEST(OfficeInput, EmptyRowsAtTheEndAreIgnoredBetweenDataTheyAreErrors) {
  // 880 on 06-30 is read; the two ",,," rows after it are not records.
  EXPECT_EQ(enrolled(progress("unit_id,metric,date,value\r\nv1,resident_enrolled,2021-06-30,880\r\n"
                              ",,,\r\n,,,\r\n\r\n"),
                     "v1"),
            880);
  EXPECT_EQ(progress_error("unit_id,metric,date,value\nv1,resident_enrolled,2021-06-29,870\n,,,\n"
                           "v1,resident_enrolled,2021-06-30,880\n"),
            "p.csv:3: an empty row between data rows (line 4 has data again); delete the row or "
            "fill it in");
}

// ---- numbers and dates ----

TEST(OfficeInput, NumbersWithSeparatorsAndFullWidthDigits) {
  std::int64_t v = 0;
  std::string why;
  ASSERT_TRUE(detail::parse_office_integer("1,330", &v));
  EXPECT_EQ(v, 1330);
  ASSERT_TRUE(detail::parse_office_integer("12,345,678", &v));
  EXPECT_EQ(v, 12345678);
  ASSERT_TRUE(detail::parse_office_integer("１３３０", &v));  // full-width
  EXPECT_EQ(v, 1330);
  ASSERT_TRUE(detail::parse_office_integer("１，３３０", &v));
  EXPECT_EQ(v, 1330);
  ASSERT_TRUE(detail::parse_office_integer("－5", &v));
  EXPECT_EQ(v, -5);
  ASSERT_TRUE(detail::parse_office_integer("-9223372036854775808", &v));
  EXPECT_EQ(v, INT64_MIN);
  for (const char* bad : {"1,33", "13,30", "1,3300", ",330", "1,330,", "1330,000", "1.5", "", "-",
                          "1 330", "9223372036854775808", "1,,330"}) {
    EXPECT_FALSE(detail::parse_office_integer(bad, &v, &why)) << bad;
  }
  // Plain digits take a fast path up to 18 of them; 19 go the long way.
  ASSERT_TRUE(detail::parse_office_integer("007", &v));
  EXPECT_EQ(v, 7);
  ASSERT_TRUE(detail::parse_office_integer("999999999999999999", &v));
  EXPECT_EQ(v, 999999999999999999);
  ASSERT_TRUE(detail::parse_office_integer("9223372036854775807", &v));
  EXPECT_EQ(v, INT64_MAX);
  EXPECT_FALSE(detail::parse_office_integer("12a", &v, &why));
  EXPECT_EQ(why, "expected a whole number");
  detail::parse_office_integer("1,33", &v, &why);
  EXPECT_EQ(why, "thousands separators group exactly three digits (as in 1,330 or 12,345,678)");
  EXPECT_EQ(progress_error("unit_id,metric,date,value\nv1,resident_enrolled,2021-06-30,\"1,33\"\n"),
            "p.csv:2:4: thousands separators group exactly three digits (as in 1,330 or "
            "12,345,678), got \"1,33\"");
}

TEST(OfficeInput, EightDigitDatesInCellsAndTheSameRulesEverywhere) {
  EXPECT_EQ(
      enrolled(progress("unit_id,metric,date,value\nv1,resident_enrolled,20210630,880\n"), "v1"),
      880);
  EXPECT_EQ(*parse_office_date("20210601"), *Date::from_ymd(2021, 6, 1));
  EXPECT_FALSE(parse_office_date("2021061"));    // seven digits: which?
  EXPECT_FALSE(parse_office_date("202106011"));  // nine
  std::string why;
  EXPECT_FALSE(parse_office_date("20210229", &why));
  EXPECT_EQ(why, "20210229 is not a date (2021 is not a leap year)");
}

// ---- the files of tests/data/office: same answers as the examples ----

TEST(OfficeInput, ProgressFilesGiveTheExampleFigures) {
  const PolicyPtr p = load_policy_file(kExamples + "policies/000-xx-town-2021.json");
  const Progress plain = read_progress_csv_file(p, kExamples + "progress/000-xx-town-2021.csv");
  TableNotes gb_notes, tsv_notes;
  const Progress gb = read_progress_csv_file(p, kOffice + "progress-000-gb18030.csv",
                                             {TextEncoding::gb18030}, &gb_notes);
  const Progress tsv = read_progress_csv_file(p, kOffice + "progress-000-bom.tsv", {}, &tsv_notes);
  EXPECT_EQ(gb_notes.ignored_columns, std::vector<std::string>{"备注"});
  EXPECT_EQ(tsv_notes.ignored_columns, std::vector<std::string>{"name"});
  ASSERT_EQ(gb.observation_count(), plain.observation_count());
  ASSERT_EQ(tsv.observation_count(), plain.observation_count());
  // Every unit's every count metric on every day the example has, e.g. 东风村
  // pension_should_enroll 1450 on 2021-06-01 (written "1,450", "１，４５０").
  const int m = p->metric_index("pension_should_enroll");
  EXPECT_EQ(gb.count(p->units.find("dongfeng"), m, *Date::from_ymd(2021, 6, 1)), 1450);
  for (std::size_t u = 0; u < p->units.units.size(); ++u) {
    for (std::size_t k = 0; k < p->metrics.size(); ++k) {
      if (p->metrics[k].kind != MetricKind::count) continue;
      const int ui = static_cast<int>(u), ki = static_cast<int>(k);
      for (std::int32_t day : plain.change_days(ui, ki)) {
        const Date d = Date::from_day_number(day);
        EXPECT_EQ(gb.count(ui, ki, d), plain.count(ui, ki, d));
        EXPECT_EQ(tsv.count(ui, ki, d), plain.count(ui, ki, d));
      }
    }
  }
}

TEST(OfficeInput, RosterFilesGiveTheExamplePersons) {
  const Date as_of = *Date::from_ymd(2023, 6, 30);
  std::ifstream plain_in(kExamples + "rosters/004-sample.csv", std::ios::binary);
  const Roster plain = read_roster(plain_in, "plain", as_of, false);
  for (const auto& [file, format] :
       {std::pair<std::string, TableFormat>{"roster-004-gb18030.csv", {TextEncoding::gb18030}},
        std::pair<std::string, TableFormat>{"roster-004-bom.tsv", {}}}) {
    std::ifstream in(kOffice + file, std::ios::binary);
    TableNotes notes;
    const Roster r = read_roster(in, file, as_of, false, FactDeclarations{}, format, &notes);
    EXPECT_EQ(notes.ignored_columns, (std::vector<std::string>{"village", "单位编码", "备注"}))
        << file;
    ASSERT_EQ(r.persons.size(), plain.persons.size()) << file;  // the trailing ",,," row is none
    for (std::size_t i = 0; i < r.persons.size(); ++i) {
      const Person& a = r.persons[i].person;
      const Person& b = plain.persons[i].person;
      EXPECT_EQ(r.persons[i].id, plain.persons[i].id);
      EXPECT_EQ(r.persons[i].unit_id, plain.persons[i].unit_id) << file << " row " << i;
      EXPECT_EQ(a.birth_date, b.birth_date) << file << " row " << i;
      EXPECT_EQ(a.sex, b.sex);
      EXPECT_EQ(a.hukou_local, b.hukou_local) << file << " row " << i;
      EXPECT_EQ(a.resident_grade_yuan, b.resident_grade_yuan) << file << " row " << i;
      EXPECT_EQ(a.flags, b.flags);
    }
  }
}

TEST(OfficeInput, RosterHukouWordsAreExact) {
  const std::string head =
      "编号,身份证号,姓名,性别,出生日期,户籍,参保状态,就业类型,缴费档次,标识\n";
  auto hukou = [&](const std::string& cell) {
    std::istringstream in(head + "p1,,王,男,19800301," + cell + ",none,farmer,\"1,000\",\n");
    return read_roster(in, "r.csv", *Date::from_ymd(2023, 6, 30), false)
        .persons.at(0)
        .person.hukou_local;
  };
  EXPECT_TRUE(hukou("是"));
  EXPECT_TRUE(hukou("本地"));
  EXPECT_FALSE(hukou("否"));
  EXPECT_FALSE(hukou("外地"));
  try {
    hukou("本地户籍");  // no fuzzy matching
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "r.csv:2:6: expected true, false, 1 or 0, got \"本地户籍\"");
  }
}
