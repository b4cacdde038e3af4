// Issue 15: RosterColumns (the CLI's CSV path: rows read into columns, no
// RosterPerson) accepts, rejects, fails and writes exactly as
// read_roster_bytes + recommend_roster + write_roster_csv, on any number of
// threads: the same bytes, the same rejects, the same first error.
#include <canbao/error.hpp>
#include <canbao/policy.hpp>
#include <canbao/recommender.hpp>
#include <canbao/roster.hpp>
#include <canbao/roster_columns.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

namespace {

using namespace canbao;

const Date kAsOf = *Date::from_ymd(2023, 6, 30);

const Recommender& shiyan() {
  static const Recommender r(
      load_policy_file(CANBAO_SOURCE_DIR "/examples/policies/004-shiyan-2023.json"));
  return r;
}

// Women's retirement age and years already paid by declared facts: age and
// retirement date depend on the fact columns, not only on sex and birth day.
const Recommender& by_facts() {
  static const Recommender r(
      load_policy_file(CANBAO_SOURCE_DIR "/examples/policies/004-shiyan-2023-retirement.json"));
  return r;
}

struct Answer {
  std::string csv, rejects;
  std::size_t persons = 0;
  std::size_t by_scheme[3] = {0, 0, 0};
};

// The RosterPerson path, as `canbao recommend` wrote before.
Answer person_path(const Recommender& rec, const std::string& text, bool keep_rejects,
                   RosterReasons reasons, unsigned threads) {
  const Roster r =
      read_roster_bytes(text, "r.csv", kAsOf, keep_rejects, rec.facts(), {}, nullptr, threads);
  const std::vector<RosterResult> results = recommend_roster(rec, r, kAsOf, threads);
  Answer a;
  std::ostringstream csv, rejects;
  write_roster_csv(csv, rec, r, results, reasons, threads);
  write_rejects_csv(rejects, r);
  a.csv = csv.str();
  a.rejects = rejects.str();
  a.persons = results.size();
  for (const RosterResult& x : results) ++a.by_scheme[static_cast<int>(x.scheme)];
  return a;
}

Answer column_path(const Recommender& rec, const std::string& text, bool keep_rejects,
                   RosterReasons reasons, unsigned threads) {
  const RosterColumns c =
      read_roster_columns_bytes(text, "r.csv", rec, kAsOf, keep_rejects, {}, threads);
  Answer a;
  std::ostringstream csv, rejects;
  const std::array<std::size_t, 3> counts = c.write_csv(csv, reasons, threads);
  write_rejects_csv(rejects, c.roster());
  a.csv = csv.str();
  a.rejects = rejects.str();
  a.persons = c.size();
  for (int s = 0; s < 3; ++s) a.by_scheme[s] = counts[static_cast<std::size_t>(s)];
  EXPECT_TRUE(c.roster().persons.empty());
  return a;
}

void expect_same(const Recommender& rec, const std::string& text, bool keep_rejects) {
  for (RosterReasons reasons : {RosterReasons::codes, RosterReasons::text}) {
    const Answer want = person_path(rec, text, keep_rejects, reasons, 1);
    for (unsigned threads : {1u, 2u, 3u}) {
      const Answer got = column_path(rec, text, keep_rejects, reasons, threads);
      EXPECT_EQ(got.csv, want.csv) << threads << " threads";
      EXPECT_EQ(got.rejects, want.rejects) << threads << " threads";
      EXPECT_EQ(got.persons, want.persons);
      for (int s = 0; s < 3; ++s) EXPECT_EQ(got.by_scheme[s], want.by_scheme[s]);
    }
  }
}

std::string error_of(bool columns, const std::string& text, unsigned threads) {
  try {
    if (columns) {
      read_roster_columns_bytes(text, "r.csv", shiyan(), kAsOf, false, {}, threads);
    } else {
      read_roster_bytes(text, "r.csv", kAsOf, false, shiyan().facts(), {}, nullptr, threads);
    }
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

const std::string kHeader =
    "id,id_number,name,sex,birth_date,hukou_local,insurance_status,employment,"
    "resident_grade_yuan,flags,note\n";

// Row i of a roster over 1 MiB (so threads split it): 004's shapes, every 7th
// row a quoted note with a line break and "", every 11th an ID number in the
// note (masked on output), every 13th a row id that needs quoting.
std::string row(std::size_t i) {
  std::string note = i % 7 == 0 ? "\"two\nlines, \"\"q\"\"\"" : "plain";
  if (i % 11 == 0) note = "see 500115198003012010";
  const std::string id = i % 13 == 0 ? "\"p," + std::to_string(i) + "\"" : "p" + std::to_string(i);
  return id +
         (i % 2 ? ",,王建国,male,1980-03-01,true,none,farmer,,,"
                : ",50011519820101202X,李秀英,,,true,none,unemployed,200,dibao,") +
         note + "\n";
}

template <class Edit>
std::string roster_text(Edit edit) {
  std::string text = kHeader;
  for (std::size_t i = 0; i < 40000; ++i) text += edit(i, row(i));
  return text;
}
std::string roster_text() {
  return roster_text([](std::size_t, const std::string& r) { return r; });
}

TEST(RosterColumns, TheBytesOfThePersonPath) {
  const std::string text = roster_text();
  ASSERT_GT(text.size(), 1u << 20);
  expect_same(shiyan(), text, false);
  // The example roster (unit_id and village written back), small: one part.
  std::ifstream in(CANBAO_SOURCE_DIR "/examples/rosters/004-sample.csv");
  std::ostringstream sample;
  sample << in.rdbuf();
  ASSERT_FALSE(sample.str().empty());
  expect_same(shiyan(), sample.str(), false);
  // Header only: the header line, no rows.
  expect_same(shiyan(), kHeader, false);
  const Answer empty = column_path(shiyan(), kHeader, false, RosterReasons::codes, 2);
  EXPECT_EQ(empty.csv, "id,age,scheme,actions,groups,retirement_date,reasons,note\n");
}

TEST(RosterColumns, RejectsAreThoseOfThePersonPath) {
  // Bad rows in both halves: a wrong field count, a bad date, an unknown status,
  // an ID number that disagrees with the sex.
  const std::string text = roster_text([](std::size_t i, const std::string& r) {
    if (i == 5) return std::string("short,row\n");
    if (i == 1000) return std::string("b1,,x,male,1980-02-30,true,none,farmer,,,n\n");
    if (i == 30000) return std::string("b2,,x,male,1980-02-03,true,nobody,farmer,,,n\n");
    if (i == 39998) return std::string("b3,500115198003012010,x,female,,true,none,farmer,,,n\n");
    return r;
  });
  expect_same(shiyan(), text, true);
  const Answer a = column_path(shiyan(), text, true, RosterReasons::codes, 2);
  EXPECT_EQ(a.persons, 40000u - 4u);
  // The header and the four rows (none of them holds a line break).
  EXPECT_EQ(std::count(a.rejects.begin(), a.rejects.end(), '\n'), 5) << a.rejects;
  EXPECT_NE(a.rejects.find("expected 11 fields as in the header, got 2"), std::string::npos);
  EXPECT_NE(a.rejects.find("unknown insurance_status"), std::string::npos);
  EXPECT_EQ(a.rejects.find("500115198003012010"), std::string::npos);  // masked
}

TEST(RosterColumns, TheFirstErrorInFileOrderWins) {
  const std::string two_bad = roster_text([](std::size_t i, const std::string& r) {
    return i == 1000 || i == 30000
               ? "bad" + std::to_string(i) + ",,x,male,1980-02-30,true,none,farmer,,,n\n"
               : r;
  });
  const std::string want = error_of(false, two_bad, 1);
  EXPECT_NE(want.find(":5:"), std::string::npos) << want;
  for (unsigned threads : {1u, 2u, 3u}) EXPECT_EQ(error_of(true, two_bad, threads), want);
  const std::string gap = roster_text([](std::size_t i, const std::string& r) {
    return i >= 19000 && i < 21000 ? std::string(",,,,,,,,,,\n") : r;
  });
  EXPECT_NE(error_of(false, gap, 1).find("an empty row between data rows"), std::string::npos);
  EXPECT_EQ(error_of(true, gap, 2), error_of(false, gap, 1));
  std::string nul = roster_text();
  nul[nul.size() - 100] = '\0';
  EXPECT_EQ(error_of(true, nul, 2), error_of(false, nul, 1));
  // The header's errors too.
  const std::string no_flags =
      "id,id_number,name,sex,birth_date,hukou_local,insurance_status,"
      "employment,resident_grade_yuan\np1,,x,male,1980-01-01,true,none,"
      "farmer,\n";
  EXPECT_EQ(error_of(true, no_flags, 2), error_of(false, no_flags, 1));
  EXPECT_NE(error_of(true, no_flags, 2), "(no error)");
}

TEST(RosterColumns, DeclaredFactsInTheRetirementDate) {
  // 004's retirement variant: a woman's original retirement age by
  // retirement_category (worker 50, cadre 55), years already paid by
  // employee_contribution_years; empty cells take the defaults.
  std::string text =
      "id,id_number,name,sex,birth_date,hukou_local,insurance_status,employment,"
      "resident_grade_yuan,flags,retirement_category,employee_contribution_years\n";
  const char* categories[] = {"worker", "cadre", ""};
  const char* years[] = {"0", "12", "", "30"};
  for (int i = 0; i < 30000; ++i) {
    text += "p" + std::to_string(i) + ",,x," + (i % 2 ? "female" : "male") + "," +
            std::to_string(1950 + i % 60) + "-0" + std::to_string(1 + i % 9) + "-1" +
            std::to_string(i % 10) + ",true,none,farmer,,," + categories[i % 3] + "," +
            years[i % 4] + "\n";
  }
  ASSERT_GT(text.size(), 1u << 20);
  expect_same(by_facts(), text, false);
  // Without the fact columns: their defaults.
  expect_same(by_facts(), roster_text(), false);
}

}  // namespace
