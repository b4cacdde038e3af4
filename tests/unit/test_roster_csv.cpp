// Roster CSV: columns in any order, extra columns kept, birth date / sex from
// the ID number, disagreement and bad values stop with file:line:column (or go
// to rejects), and no error ever shows a whole ID number.
#include <canbao/error.hpp>
#include <canbao/policy.hpp>
#include <canbao/roster.hpp>

#include <gtest/gtest.h>

#include <sstream>

namespace {

using namespace canbao;

const Date kAsOf = *Date::from_ymd(2023, 6, 30);
// Synthetic valid numbers (scripts/make_roster.py): born 1980-03-01 male, 1982-01-01 female.
const std::string kMan = "500115198003012010";
const std::string kWoman = "50011519820101202X";

Roster read(const std::string& text, bool keep_rejects = false) {
  std::istringstream in(text);
  return read_roster(in, "r.csv", kAsOf, keep_rejects);
}

std::string error_of(const std::string& text) {
  try {
    read(text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

const std::string kHeader =
    "village,flags,id,name,id_number,sex,birth_date,hukou_local,insurance_status,employment,"
    "resident_grade_yuan\n";

TEST(RosterCsv, ColumnsInAnyOrderAndExtraColumnsAreKept) {
  const Roster r =
      read(kHeader + "双龙村,dibao;village_cadre,p1,王建国," + kMan + ",,,true,none,farmer,\n");
  ASSERT_EQ(r.persons.size(), 1u);
  EXPECT_EQ(r.extra_columns, std::vector<std::string>{"village"});
  EXPECT_EQ(r.persons[0].extra, std::vector<std::string>{"双龙村"});
  EXPECT_EQ(r.persons[0].person.birth_date, *Date::from_ymd(1980, 3, 1));  // from the ID number
  EXPECT_EQ(r.persons[0].person.sex, Sex::male);
  EXPECT_EQ(r.persons[0].person.flags,
            flag_bit(PersonFlag::dibao) | flag_bit(PersonFlag::village_cadre));
  EXPECT_EQ(r.persons[0].id_number_masked, "500115********2010");
}

TEST(RosterCsv, BirthDateDisagreeingWithIdNumberIsAnErrorWithLineAndColumnAndNoFullId) {
  const std::string e =
      error_of(kHeader + "x,,p1,王建国," + kMan + ",male,1980-03-02,true,none,farmer,\n");
  EXPECT_NE(e.find("r.csv:2:7: birth_date 1980-03-02 disagrees with the birth date in id_number "
                   "500115********2010"),
            std::string::npos)
      << e;
  EXPECT_EQ(e.find(kMan), std::string::npos);
}

TEST(RosterCsv, SexDisagreeingWithIdNumberIsAnError) {
  const std::string e = error_of(kHeader + "x,,p1,李秀英," + kWoman + ",male,,true,none,farmer,\n");
  EXPECT_NE(e.find("r.csv:2:6: sex male disagrees with id_number"), std::string::npos) << e;
}

TEST(RosterCsv, InvalidIdNumberNeverAppearsWhole) {
  std::string bad = kMan;
  bad[17] = '9';  // wrong check character
  const std::string e = error_of(kHeader + "x,,p1,王建国," + bad + ",,,true,none,farmer,\n");
  EXPECT_NE(e.find("r.csv:2:5: id_number 500115********2019 is not valid"), std::string::npos) << e;
  EXPECT_EQ(e.find(bad), std::string::npos);
  // A bad date: the reason quotes digits 7-14, so the masked form is withheld.
  const std::string bad_date = "500115198013012010";
  const std::string e2 = error_of(kHeader + "x,,p1,王建国," + bad_date + ",,,true,none,farmer,\n");
  EXPECT_NE(e2.find("(withheld)"), std::string::npos) << e2;
  EXPECT_EQ(e2.find("500115********"), std::string::npos) << e2;
}

TEST(RosterCsv, UnknownValuesNameTheirColumn) {
  EXPECT_NE(error_of(kHeader + "x,,p1,甲,,female,1990-01-01,yes,none,farmer,\n")
                .find("r.csv:2:8: expected true, false"),
            std::string::npos);
  EXPECT_NE(error_of(kHeader + "x,,p1,甲,,female,1990-01-01,true,insured,farmer,\n")
                .find("r.csv:2:9: unknown insurance_status"),
            std::string::npos);
  EXPECT_NE(error_of(kHeader + "x,lucky,p1,甲,,female,1990-01-01,true,none,farmer,\n")
                .find("r.csv:2:2: unknown flag \"lucky\""),
            std::string::npos);
  EXPECT_NE(error_of(kHeader + "x,,p1,甲,,female,1990-01-01,true,none,farmer,-5\n")
                .find("r.csv:2:11: expected whole yuan"),
            std::string::npos);
  EXPECT_NE(error_of(kHeader + "x,,p1,甲,,,1990-01-01,true,none,farmer,\n")
                .find("r.csv:2:6: sex is empty"),
            std::string::npos);
  EXPECT_NE(error_of(kHeader + "x,,p1,甲,,female,2023-02-29,true,none,farmer,\n")
                .find("2023 is not a leap year"),
            std::string::npos);
  EXPECT_NE(error_of(kHeader + "x,,p1,甲,,female,2024-01-01,true,none,farmer,\n")
                .find("born after the as-of date"),
            std::string::npos);
}

TEST(RosterCsv, MissingRequiredColumnIsNamed) {
  EXPECT_NE(error_of("id,name\np1,甲\n").find("no column \"id_number\""), std::string::npos);
}

TEST(RosterCsv, RejectsKeepEveryBadRowWithItsReasonAndTheGoodRowsInOrder) {
  const Roster r = read(kHeader + "a,,p1,甲,,female,1990-01-01,true,none,farmer,\n" + "b,,p2,乙," +
                            kMan + ",female,,true,none,farmer,\n" +             // sex disagrees
                            "c,,p3,丙,,female,1991-01-01,true,none,farmer\n" +  // a field short
                            "d,,p4,丁,,male,1992-01-01,false,none,farmer,\n",
                        true);
  ASSERT_EQ(r.persons.size(), 2u);
  EXPECT_EQ(r.persons[0].id, "p1");
  EXPECT_EQ(r.persons[1].id, "p4");
  ASSERT_EQ(r.rejects.size(), 2u);
  EXPECT_EQ(r.rejects[0].where, "r.csv:3:6");
  EXPECT_EQ(r.rejects[1].line, 4u);
  std::ostringstream rej;
  write_rejects_csv(rej, r);
  EXPECT_EQ(rej.str().find(kMan), std::string::npos);  // masked in the rejects file too
  EXPECT_NE(rej.str().find("500115********2010"), std::string::npos);
}

TEST(RosterCsv, OutputHasOneRowPerPersonInOrderWithExtras) {
  const PolicyPtr policy =
      load_policy_file(CANBAO_SOURCE_DIR "/examples/policies/004-shiyan-2023.json");
  const Roster r = read(kHeader + "双龙村,,p1,王建国," + kMan + ",,,true,none,farmer,\n" +
                        "桂湾村,,p2,李秀英," + kWoman + ",,,true,none,farmer,\n");
  const auto results = recommend_roster(Recommender(policy), r, kAsOf);
  std::ostringstream out;
  write_roster_csv(out, Recommender(policy), r, results);
  std::istringstream lines(out.str());
  std::string header, l1, l2;
  std::getline(lines, header);
  std::getline(lines, l1);
  std::getline(lines, l2);
  EXPECT_EQ(header, "id,age,scheme,actions,groups,retirement_date,reason,reason_en,village");
  EXPECT_EQ(l1.substr(0, l1.find(",2043")), "p1,43,employee,enroll_employee,g8");
  EXPECT_EQ(l2.substr(0, l2.find(",2040")), "p2,41,resident,enroll_resident,g8");
  EXPECT_EQ(l2.substr(l2.size() - 10), ",桂湾村");
  EXPECT_EQ(out.str().find(kMan), std::string::npos);
}

}  // namespace

namespace {

const std::string kRow = "x,,p1,甲,,female,1990-01-01,true,none,farmer,\n";

// Encoding and syntax errors stop the run even with rejects kept: after one,
// the rest of the file cannot be read safely.
std::string error_with_rejects(const std::string& text) {
  try {
    read(text, true);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST(RosterCsv, BytesThatAreNotUtf8NameLineColumnAndByte) {
  // 王 saved as GBK is CD F5: CD starts a two-byte UTF-8 sequence, F5 cannot follow.
  // kRow's 甲 is UTF-8: the file mixes encodings (docs/office-data.md).
  const std::string gbk = kHeader + kRow + "x,,p2,\xCD\xF5,,female,1990-01-01,true,none,farmer,\n";
  const std::string want =
      "r.csv:3:4: not valid UTF-8 (byte 0xCD), while earlier lines hold UTF-8 text: the file "
      "mixes encodings; save it again as UTF-8";
  EXPECT_EQ(error_of(gbk), want);
  EXPECT_EQ(error_with_rejects(gbk), want);
  // Overlong, surrogate and truncated sequences are not UTF-8 either.
  EXPECT_NE(error_of(kHeader + "x,,p1,\xC0\xAF,,female,1990-01-01,true,none,farmer,\n")
                .find("r.csv:2:4: not valid UTF-8 (byte 0xC0)"),
            std::string::npos);
  EXPECT_NE(error_of(kHeader + "x,,p1,\xED\xA0\x80,,female,1990-01-01,true,none,farmer,\n")
                .find("r.csv:2:4: not valid UTF-8 (byte 0xED)"),
            std::string::npos);
  EXPECT_NE(error_of(kHeader + "x,,p1,甲,,female,1990-01-01,true,none,farmer,\xE7\x94\n")
                .find("r.csv:2:11: not valid UTF-8 (byte 0xE7)"),
            std::string::npos);
  // In the header too.
  EXPECT_NE(error_of("id,\xB2\n").find("r.csv:1:2: not valid UTF-8 (byte 0xB2)"),
            std::string::npos);
}

TEST(RosterCsv, NulByteLoneCarriageReturnOpenQuoteAndHugeFieldAreErrorsWithPlace) {
  EXPECT_EQ(error_with_rejects(kHeader + kRow + std::string("x,,p2,a\0b,,f", 12) + "\n"),
            "r.csv:3:4: a NUL byte (0x00); save the file as UTF-8 text (UTF-16 is not supported)");
  EXPECT_EQ(error_with_rejects(kHeader + "x,,p1,甲\r,,female,1990-01-01,true,none,farmer,\n"),
            "r.csv:2:4: a carriage return without a line feed (lines end in LF or CRLF)");
  // The record starts on line 3; its field 4 spans two lines; the quote of
  // field 5 opens on line 4 and is never closed.
  EXPECT_EQ(error_with_rejects(kHeader + kRow + "x,,p2,\"甲\n乙\",\"female\n" + kRow),
            "r.csv:4:5: the quoted field opened on this line is not closed before the end of the "
            "file");
  const std::string huge(65536 + 1, 'a');  // CsvReader::kMaxFieldBytes + 1
  EXPECT_EQ(error_with_rejects(kHeader + "x,,p1," + huge + ",,female\n"),
            "r.csv:2:4: a field longer than 65536 bytes");
  EXPECT_EQ(error_with_rejects(kHeader + "x,,p1,\"" + huge + "a"),
            "r.csv:2:4: a field longer than 65536 bytes (is a quote not closed?)");
  // A field of exactly the limit is fine (it is then an unknown value).
  const std::string at_limit(65536, 'a');
  EXPECT_NE(error_of(kHeader + "x,,p1,甲,,female,1990-01-01," + at_limit + ",none,farmer,\n")
                .find("r.csv:2:8: expected true, false, 1 or 0, got \"aaaa"),
            std::string::npos);
}

TEST(RosterCsv, UtfSixteenFileIsNamedAsSuch) {
  EXPECT_EQ(error_of("\xFF\xFEi\0d\0"),
            "r.csv:1:1: the file starts with a UTF-16 byte order mark; save it as UTF-8");
}

// An ID number shifted into another column (a missing or extra comma, a
// column pasted in the wrong place) is masked in rejects and errors too.
TEST(RosterCsv, ShiftedIdNumberIsMaskedInRejectsAndErrors) {
  const std::string shifted_into_hukou =
      "x,,p1,甲,,female,1990-01-01," + kMan + ",none,farmer,\n";  // count right, value wrong
  const std::string one_field_short = "x,,p2," + kMan + ",female,1990-01-01,true,none,farmer,\n";
  const std::string in_extra = kWoman + ",,p3,甲,,female,1990-01-01,maybe,none,farmer,\n";
  const Roster r = read(kHeader + shifted_into_hukou + one_field_short + in_extra, true);
  ASSERT_EQ(r.rejects.size(), 3u);
  EXPECT_EQ(r.rejects[0].reason, "expected true, false, 1 or 0, got \"500115********2010\"");
  EXPECT_EQ(r.rejects[0].fields[7], "500115********2010");
  EXPECT_EQ(r.rejects[1].fields[3], "500115********2010");
  EXPECT_EQ(r.rejects[2].fields[0], "500115********202X");
  std::ostringstream rej;
  write_rejects_csv(rej, r);
  EXPECT_EQ(rej.str().find(kMan), std::string::npos) << rej.str();
  EXPECT_EQ(rej.str().find(kWoman), std::string::npos) << rej.str();
  const std::string e = error_of(kHeader + shifted_into_hukou);
  EXPECT_EQ(e, "r.csv:2:8: expected true, false, 1 or 0, got \"500115********2010\"");
}

TEST(RosterCsv, IdNumbersInTheRowIdOrExtraColumnsAreMaskedInOutput) {
  const PolicyPtr policy =
      load_policy_file(CANBAO_SOURCE_DIR "/examples/policies/004-shiyan-2023.json");
  const Roster r = read(kHeader + "户籍" + kWoman + ",," + kMan +
                        ",王建国,,male,1980-03-01,true,none,farmer,\n");
  const auto results = recommend_roster(Recommender(policy), r, kAsOf);
  std::ostringstream csv, json;
  write_roster_csv(csv, Recommender(policy), r, results);
  write_roster_json(json, Recommender(policy), r, results);
  for (const std::string& out : {csv.str(), json.str()}) {
    EXPECT_EQ(out.find(kMan), std::string::npos) << out;
    EXPECT_EQ(out.find(kWoman), std::string::npos) << out;
    EXPECT_NE(out.find("500115********2010"), std::string::npos) << out;
    EXPECT_NE(out.find("户籍500115********202X"), std::string::npos) << out;
  }
}

// Birth dates as offices type them (parse_office_date) read as the same day;
// a day-first or mixed form is an error naming its cell, never a guess.
TEST(RosterCsv, OfficeBirthDatesAreTheSameDayAndGuessesAreErrors) {
  const Roster r = read(kHeader + ",,p1,A," + kMan + ",male,1980/3/1,true,none,farmer,\n" +
                        ",,p2,B,,female,1982年1月1日,true,none,farmer,\n" +
                        ",,p3,C,,female,1982.1.1,true,none,farmer,\n");
  ASSERT_EQ(r.persons.size(), 3u);
  EXPECT_EQ(r.persons[0].person.birth_date, *Date::from_ymd(1980, 3, 1));
  EXPECT_EQ(r.persons[1].person.birth_date, *Date::from_ymd(1982, 1, 1));
  EXPECT_EQ(r.persons[2].person.birth_date, *Date::from_ymd(1982, 1, 1));
  EXPECT_EQ(error_of(kHeader + ",,p1,A,,male,1/3/1980,true,none,farmer,\n"),
            "r.csv:2:7: expected a date as YYYY/M/D, YYYY-M-D, YYYY.M.D, YYYY年M月D日 or YYYYMMDD "
            "(four-digit year first, one separator throughout; day-first and two-digit years are "
            "not accepted), got \"1/3/1980\"");
  EXPECT_EQ(error_of(kHeader + ",,p1,A,,male,1980/3-1,true,none,farmer,\n").substr(0, 29),
            "r.csv:2:7: expected a date as");
}

// Declared facts (docs/roster.md#declared-facts) over the fixture policy of
// tests/unit/test_declared_facts.cpp: each read from its column with the
// declaration's text form; a missing column or empty cell takes the default;
// without one, the column is required and a bad cell names line and column.
PolicyPtr declared_facts_policy() {
  return load_policy_file(CANBAO_SOURCE_DIR "/tests/data/policies/declared-facts.json");
}

Roster read_facts(const std::string& text, bool keep_rejects = false) {
  std::istringstream in(text);
  return read_roster(in, "r.csv", kAsOf, keep_rejects, declared_facts_policy()->recommendation->facts);
}

std::string facts_error_of(const std::string& text) {
  try {
    read_facts(text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

const std::string kFactsHeader =
    "id,id_number,name,sex,birth_date,hukou_local,insurance_status,employment,resident_grade_yuan,"
    "flags,support_groups,retirement_category,expropriated_on,veteran,village\n";

TEST(RosterCsv, DeclaredFactsAreReadFromTheirColumnsWithDefaults) {
  const Roster r = read_facts(kFactsHeader +
                              "p1,,甲,female,1970-03-15,true,none,farmer,,,industry_leader;graduate,worker,"
                              "2023-01-01,是,双龙村\n"
                              "p2,,乙,male,1980-01-01,true,none,farmer,,,,,,,石堰社区\n");
  ASSERT_EQ(r.persons.size(), 2u);
  EXPECT_EQ(r.extra_columns, std::vector<std::string>{"village"});  // fact columns are read, not kept
  const Person& a = r.persons[0].person;
  EXPECT_EQ(a.facts.at("support_groups"), 0b1001);
  EXPECT_EQ(a.facts.at("retirement_category"), 0);  // worker
  EXPECT_EQ(a.facts.at("expropriated_on"), Date::from_ymd(2023, 1, 1)->day_number());
  EXPECT_EQ(a.facts.at("veteran"), 1);
  EXPECT_EQ(a.facts.count("prior_contribution_years"), 0u);  // no column: the default
  EXPECT_TRUE(r.persons[1].person.facts.empty());             // empty cells: the defaults
  // The same answers as the one-person path.
  const Recommender rec(declared_facts_policy());
  const auto results = recommend_roster(rec, r, kAsOf);
  EXPECT_EQ(results[0].scheme, Scheme::none);  // a 工人 born 1970-03: retired 2020-04-01
  EXPECT_EQ(results[0].retirement_date, *Date::from_ymd(2020, 4, 1));
  EXPECT_EQ(results[0].groups, rec.recommend(a, kAsOf).groups);
  EXPECT_EQ(results[1].scheme, rec.recommend(r.persons[1].person, kAsOf).scheme);
}

TEST(RosterCsv, BadDeclaredFactCellsNameLineAndColumnAndGoToRejects) {
  EXPECT_EQ(facts_error_of(kFactsHeader + "p1,,甲,female,1970-03-15,true,none,farmer,,,fisher,,,,\n"),
            "r.csv:2:11: support_groups: unknown flag \"fisher\" in \"fisher\" (expected flags joined by "
            "';' (\"\" for none) from: graduate, employment_difficulty, retired_fisher, "
            "industry_leader, migrant_worker)");
  EXPECT_NE(facts_error_of(kFactsHeader + "p1,,甲,female,1970-03-15,true,none,farmer,,,,clerk,,,\n")
                .find("r.csv:2:12: retirement_category: unknown value \"clerk\" (expected one of: "
                      "worker, cadre)"),
            std::string::npos);
  EXPECT_NE(facts_error_of(kFactsHeader + "p1,,甲,female,1970-03-15,true,none,farmer,,,,,1989-12-31,,\n")
                .find("r.csv:2:13: expropriated_on: expected a date from 1990-01-01 to 2030-12-31"),
            std::string::npos);
  // An ID number typed into a fact cell is masked in the message.
  const std::string e = facts_error_of(kFactsHeader + "p1,,甲,female,1970-03-15,true,none,farmer,,,,," +
                                       kMan + ",,\n");
  EXPECT_EQ(e.find(kMan), std::string::npos) << e;
  EXPECT_NE(e.find("r.csv:2:13: expropriated_on:"), std::string::npos) << e;
  const Roster r = read_facts(kFactsHeader + "p1,,甲,female,1970-03-15,true,none,farmer,,,,,,maybe,\n" +
                                  "p2,,乙,male,1980-01-01,true,none,farmer,,,,,,,\n",
                              true);
  ASSERT_EQ(r.persons.size(), 1u);
  ASSERT_EQ(r.rejects.size(), 1u);
  EXPECT_EQ(r.rejects[0].where, "r.csv:2:14");
  EXPECT_NE(r.rejects[0].reason.find("veteran: expected true or false"), std::string::npos)
      << r.rejects[0].reason;
}

TEST(RosterCsv, AFactWithoutDefaultNeedsItsColumnAndACell) {
  PolicyPtr base = declared_facts_policy();
  FactDeclarations facts = base->recommendation->facts;
  facts.facts[0].default_value.reset();  // prior_contribution_years: required now
  facts.facts[0].column = "已缴费年限";
  auto read_with = [&](const std::string& text) -> std::string {
    std::istringstream in(text);
    try {
      read_roster(in, "r.csv", kAsOf, false, facts);
    } catch (const InputError& e) {
      return e.what();
    }
    return "(no error)";
  };
  EXPECT_EQ(read_with(kHeader + "x,,p1,甲,,female,1990-01-01,true,none,farmer,\n"),
            "r.csv:1: the header has no column \"已缴费年限\" for the declared fact "
            "prior_contribution_years, which has no default");
  const std::string header = kHeader.substr(0, kHeader.size() - 1) + ",已缴费年限\n";
  EXPECT_EQ(read_with(header + "x,,p1,甲,,female,1990-01-01,true,none,farmer,,\n"),
            "r.csv:2:12: 已缴费年限: empty, and the fact has no default (expected a whole number "
            "from 0 to 60)");
  EXPECT_EQ(read_with(header + "x,,p1,甲,,female,1990-01-01,true,none,farmer,,12\n"), "(no error)");
}
