// Issue 15: a roster read, evaluated and written in parts on several threads
// gives the bytes of one thread, and the first error in file order. Rosters
// here are over 1 MiB of rows, so two threads really split them.
#include <canbao/error.hpp>
#include <canbao/policy.hpp>
#include <canbao/recommender.hpp>
#include <canbao/roster.hpp>

#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace {

using namespace canbao;

const Date kAsOf = *Date::from_ymd(2023, 6, 30);

const Recommender& recommender() {
  static const Recommender r(
      load_policy_file(CANBAO_SOURCE_DIR "/examples/policies/004-shiyan-2023.json"));
  return r;
}

const std::string kHeader =
    "id,id_number,name,sex,birth_date,hukou_local,insurance_status,employment,"
    "resident_grade_yuan,flags,note\n";

// Row i: 004's shapes (a man of 43 uninsured, a woman of 50 on dibao), and
// every 7th row a quoted note with a line break and a "" inside.
std::string row(std::size_t i) {
  const std::string note = i % 7 == 0 ? "\"two\nlines, \"\"q\"\"\"" : "plain";
  return "p" + std::to_string(i) +
         (i % 2 ? ",,王建国,male,1980-03-01,true,none,farmer,,,"
                : ",,刘桂兰,female,1973-01-01,true,none,unemployed,200,dibao,") +
         note + "\n";
}

// 40,000 rows, about 2.4 MB; `edit` may change row i's text.
template <class Edit>
std::string roster_text(Edit edit) {
  std::string text = kHeader;
  for (std::size_t i = 0; i < 40000; ++i) text += edit(i, row(i));
  return text;
}
std::string roster_text() {
  return roster_text([](std::size_t, const std::string& r) { return r; });
}

std::string csv_out(const std::string& text, unsigned threads, RosterReasons reasons) {
  const Roster r =
      read_roster_bytes(text, "r.csv", kAsOf, true, recommender().facts(), {}, nullptr, threads);
  std::ostringstream out;
  write_roster_csv(out, recommender(), r, recommend_roster(recommender(), r, kAsOf, threads),
                   reasons, threads);
  write_rejects_csv(out, r);
  return out.str();
}

std::string error_of(const std::string& text, unsigned threads) {
  try {
    read_roster_bytes(text, "r.csv", kAsOf, false, recommender().facts(), {}, nullptr, threads);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(RosterThreads, TwoThreadsWriteTheBytesOfOne) {
  const std::string text = roster_text();
  ASSERT_GT(text.size(), 2u << 20);
  for (RosterReasons reasons : {RosterReasons::codes, RosterReasons::text}) {
    const std::string one = csv_out(text, 1, reasons);
    EXPECT_EQ(csv_out(text, 2, reasons), one);
    EXPECT_EQ(csv_out(text, 3, reasons), one);
  }
  // The stream overload (one thread, the old API) writes the same texts.
  std::istringstream in(text);
  const Roster r = read_roster(in, "r.csv", kAsOf, true, recommender().facts());
  std::ostringstream old;
  write_roster_csv(old, recommender(), r, recommend_roster(recommender(), r, kAsOf));
  write_rejects_csv(old, r);
  EXPECT_EQ(old.str(), csv_out(text, 2, RosterReasons::text));
  // Row p39999 starts on line 2 + 39,999 + 5,715: the notes of rows 0, 7, ...,
  // 39,998 before it hold one line break each.
  const Roster two =
      read_roster_bytes(text, "r.csv", kAsOf, false, recommender().facts(), {}, nullptr, 2);
  ASSERT_EQ(two.persons.size(), 40000u);
  EXPECT_EQ(two.persons.back().line, 2u + 39999u + 5715u);
  EXPECT_EQ(two.persons[7].extra[0], "two\nlines, \"q\"");
}

TEST(RosterThreads, TheFirstErrorInFileOrderWins) {
  // Bad birth dates on rows 30,001 and 1,001: the one of the first half wins.
  const std::string two_bad = roster_text([](std::size_t i, const std::string& r) {
    return i == 1000 || i == 30000
               ? "bad" + std::to_string(i) + ",,x,male,1980-02-30,true,none,farmer,,,n\n"
               : r;
  });
  const std::string first = error_of(two_bad, 1);
  EXPECT_NE(first.find("r.csv:"), std::string::npos);
  EXPECT_NE(first.find(":5:"), std::string::npos) << first;  // column 5, birth_date
  EXPECT_EQ(error_of(two_bad, 2), first);
  // Only the second half bad: the same message on 1 and 2 threads.
  const std::string late = roster_text([](std::size_t i, const std::string& r) {
    return i == 30000 ? std::string("bad,,x,male,1980-02-30,true,none,farmer,,,n\n") : r;
  });
  EXPECT_EQ(error_of(late, 2), error_of(late, 1));
  EXPECT_NE(error_of(late, 1), "(no error)");
  // Rows of empty fields across the middle, then data again: an error naming the
  // first empty row, though the second part alone would name a later one.
  const std::string gap = roster_text([](std::size_t i, const std::string& r) {
    return i >= 19000 && i < 21000 ? std::string(",,,,,,,,,,\n") : r;
  });
  const std::string gap_one = error_of(gap, 1);
  EXPECT_NE(gap_one.find("an empty row between data rows"), std::string::npos) << gap_one;
  EXPECT_EQ(error_of(gap, 2), gap_one);
  // Such rows at the very end are not records (Excel leaves them): no error.
  const std::string tail = roster_text() + ",,,,,,,,,,\n,,,,,,,,,,\n";
  EXPECT_EQ(error_of(tail, 2), "(no error)");
  // A NUL byte in the second half: the same message and place.
  std::string nul = roster_text();
  nul[nul.size() - 100] = '\0';
  EXPECT_EQ(error_of(nul, 2), error_of(nul, 1));
  EXPECT_NE(error_of(nul, 1).find("a NUL byte"), std::string::npos);
}

TEST(RosterThreads, ReasonCodesNameTheTableRow) {
  // p1 (i odd): a man of 43, uninsured: 004 四(二) rows[20] of table scheme
  // (men under 45, women under 40: employee) and no priority group row but otherwise.
  const std::string text = roster_text();
  const std::string out = csv_out(text, 2, RosterReasons::codes);
  EXPECT_EQ(out.substr(0, out.find('\n')),
            "id,age,scheme,actions,groups,retirement_date,reasons,note");
  EXPECT_NE(out.find("\np1,43,employee,enroll_employee,g8,2043-04-01,scheme.20;priority_groups."
                     "otherwise,plain\n"),
            std::string::npos)
      << out.substr(0, 400);
  EXPECT_EQ(reason_code(recommender(), 0), "scheme.0");
}

}  // namespace
