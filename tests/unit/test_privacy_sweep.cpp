// Privacy sweep (issue 9): every CLI command and output format, run on inputs
// full of resident ID numbers (valid and invalid, 18 and 15 digits; in the ID
// column, in other columns, in extra columns, in malformed rows, in unit names,
// progress, policies and case files). Every byte written (standard output,
// standard error, --out and --rejects files) is searched for each number
// whole: the 18- and 15-digit forms and the 18-digit upgrade of each 15-digit
// one. Masked forms ("500115********2010") are what may appear.
#include <canbao/resident_id.hpp>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli_run.hpp"

namespace {

using canbao_test::CliRun;
using canbao_test::unique_temp_path;

// Synthetic numbers (region codes of Beijing, Chongqing and Shenzhen; 99 is no
// province). Check characters are GB 11643-1999's MOD 11-2.
const std::string kValid18X = "11010519491231002X";    // female, 1949-12-31
const std::string kValid18 = "500115198003012010";     // male, 1980-03-01
const std::string kValid18x = "44030619850715001x";    // lower-case x, male, 1985-07-15
const std::string kBadCheck18 = "500115198003012019";  // check character should be 0
const std::string kBadDate18 = "110105194913320021";   // month 13
const std::string kBadRegion18 = "990105199001011234";
const std::string kValid15 = "110105491231002";   // upgrades to kValid18X
const std::string kValid15b = "500115800301201";  // upgrades to kValid18
const std::string kBadRegion15 = "990105491231002";
const std::string kBadDate15 = "110105491332002";

std::string upgrade(const std::string& n15) {
  const std::string first17 = n15.substr(0, 6) + "19" + n15.substr(6);
  return first17 + canbao::resident_id_check_character(first17);
}

// Every string that must never be written.
std::vector<std::string> forbidden() {
  std::set<std::string> s = {kValid18X,   kValid18,     kValid18x,    "44030619850715001X",
                             kBadCheck18, kBadDate18,   kBadRegion18, kValid15,
                             kValid15b,   kBadRegion15, kBadDate15};
  for (const std::string& n : {kValid15, kValid15b, kBadRegion15, kBadDate15}) s.insert(upgrade(n));
  return {s.begin(), s.end()};
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string write_temp(const std::string& name, const std::string& text) {
  const std::string path = unique_temp_path(name);
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

const std::string kSource = CANBAO_SOURCE_DIR;
const std::string k004 = kSource + "/examples/policies/004-shiyan-2023.json";
const std::string k000 = kSource + "/examples/policies/000-xx-town-2021.json";
const std::string k000Progress = kSource + "/examples/progress/000-xx-town-2021.csv";

const std::string kHeader =
    "id,id_number,name,sex,birth_date,hukou_local,insurance_status,employment,"
    "resident_grade_yuan,flags,village,note\n";

// Rows that are valid: numbers in the ID column, as the roster's own id, and
// inside extra columns.
const std::string kGoodRows = "r01," + kValid18X + ",甲,,,true,none,farmer,,,一村,ok\n" + "r02," +
                              kValid18 + ",乙,,,true,none,farmer,,,二村,ok\n" + "r03," + kValid18x +
                              ",丙,,,true,none,farmer,,,三村,ok\n" + "r04," + kValid15 +
                              ",丁,,,true,none,farmer,,,四村,ok\n" + "r05," + kValid15b +
                              ",戊,,,true,none,farmer,,,五村,ok\n" + kValid18 +
                              ",,己,male,1980-03-01,true,none,farmer,,,六村,row id is a number\n" +
                              "r07,,庚,female,1990-01-01,true,none,farmer,,," + kBadRegion18 +
                              ",证号" + kValid18X + "；旧号" + kValid15 + "\n";

// Rows that are rejected, one reason each.
const std::vector<std::string> kBadRows = {
    "r10," + kBadCheck18 + ",甲,,,true,none,farmer,,,v,n\n",
    "r11," + kBadDate18 + ",甲,,,true,none,farmer,,,v,n\n",
    "r12," + kBadRegion15 + ",甲,,,true,none,farmer,,,v,n\n",
    "r13," + kBadDate15 + ",甲,,,true,none,farmer,,,v,n\n",
    "r14,," + kBadDate15 + ",1990-01-01,true,none,farmer,,,v,n\n",  // a field short
    "r15,,乙,female,1990-01-01," + kBadRegion15 + ",none,farmer,,,v,n\n",
    "r16,,丙,female,1990-01-01,true,none,farmer,," + kBadDate18 + ",v,n\n",
    "r17,,丁,female,1990-01-01,true,none," + kBadRegion18 + ",,,v,n\n",
    "r18,,戊,female," + kValid18x + ",true,none,farmer,,,v,n\n",
    "r19,,己," + kValid18X + ",,true,none,farmer,,,v,n\n",
    "r20,,庚,female,1990-01-01,true,none,farmer," + kValid15b + ",,v,n\n",
    "r21,,辛,female,1990-01-01,true,none,farmer,,,v,n," + kValid18 + "," + kValid15 + "\n",
    "r22,,\"壬," + kBadCheck18 + "\",female,1990-01-01,maybe,none,farmer,,,v,n\n",
    "r23,," + kValid15 + ",female,1990-01-01,true," + kValid15b + ",farmer,,,v,n\n",
    kValid18 + "," + kValid18 + "," + kValid18 + ",male,1980-03-02,true,none,farmer,,,v,n\n",
};

struct Sweep {
  std::vector<std::string> leaks;
  int runs = 0;

  void check(const std::string& what, const std::string& bytes) {
    for (const std::string& id : forbidden()) {
      if (bytes.find(id) != std::string::npos) leaks.push_back(what + " contains " + id);
    }
  }
  // Runs `canbao args`; searches stdout, stderr and the files named.
  CliRun run(const std::string& args, const std::vector<std::string>& files = {}) {
    for (const std::string& f : files) std::remove(f.c_str());
    const CliRun r = canbao_test::run_cli(args);
    ++runs;
    check("canbao " + args + " (stdout)", r.out);
    check("canbao " + args + " (stderr)", r.err);
    for (const std::string& f : files) {
      check("canbao " + args + " (file " + f + ")", read_text(f));
      std::remove(f.c_str());
    }
    return r;
  }
};

std::string q(const std::string& path) { return "\"" + path + "\""; }

std::string stdin_file(const std::string& number) {
  return write_temp("sweep-stdin.txt", number + "\n");
}

TEST(PrivacySweep, NoCommandWritesAWholeIdNumber) {
  if (!canbao_test::cli_built()) GTEST_SKIP() << "CLI not built";
  Sweep s;
  std::string all_rows = kGoodRows;
  for (const std::string& row : kBadRows) all_rows += row;
  const std::string roster = write_temp("sweep-roster.csv", kHeader + all_rows);
  const std::string good_roster = write_temp("sweep-good.csv", kHeader + kGoodRows);
  const std::string out = unique_temp_path("sweep-out");
  const std::string rej = unique_temp_path("sweep-rejects.csv");
  const std::string rec = "recommend " + q(k004) + " --as-of 2023-06-30 --roster ";

  // recommend: every format, rejects, explain.
  for (const char* format : {"csv", "json"}) {
    CliRun r = s.run(rec + q(roster) + " --format " + format + " --rejects " + q(rej), {rej});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    r = s.run(rec + q(roster) + " --format " + format + " --rejects " + q(rej) + " --out " + q(out),
              {rej, out});
    EXPECT_EQ(r.exit_code, 0) << r.err;
  }
  EXPECT_NE(s.run(rec + q(good_roster)).out.find("500115********2010,"), std::string::npos);
  for (const std::string& id : {std::string("r01"), std::string("r04"), kValid18}) {
    const CliRun r = s.run(rec + q(roster) + " --rejects " + q(rej) + " --explain " + id, {rej});
    EXPECT_EQ(r.exit_code, 0) << r.err;
  }
  // Declared facts (004's): numbers in fact cells, which the errors and
  // rejects name, with and without --rejects, and one in a good row's id.
  const std::string fact_header =
      "id,id_number,name,sex,birth_date,hukou_local,insurance_status,employment,"
      "resident_grade_yuan,flags,prior_contribution_years,suspended_scheme,g2_groups\n";
  const std::string fact_good = "f1," + kValid18 + ",甲,,,true,none,farmer,,,3,none,\n";
  const std::vector<std::string> fact_bad = {
      "f2,,乙,female,1990-01-01,true,none,farmer,,," + kValid18X + ",none,\n",
      "f3,,丙,female,1990-01-01,true,none,farmer,,,3," + kValid15 + ",\n",
      "f4,,丁,female,1990-01-01,true,none,farmer,,,3,none," + kBadCheck18 + "\n",
      "f5,,戊,female,1990-01-01,true,none,farmer,,,3,none,graduate;" + kValid15b + "\n",
  };
  std::string fact_all = fact_header + fact_good;
  for (const std::string& row : fact_bad) fact_all += row;
  const std::string facts_roster = write_temp("sweep-facts.csv", fact_all);
  for (const char* format : {"csv", "json"}) {
    const CliRun r = s.run(
        rec + q(facts_roster) + " --format " + format + " --rejects " + q(rej) + " --out " + q(out),
        {rej, out});
    EXPECT_EQ(r.exit_code, 0) << r.err;
  }
  EXPECT_EQ(
      s.run(rec + q(facts_roster) + " --rejects " + q(rej) + " --explain f1", {rej}).exit_code, 0);
  for (const std::string& row : fact_bad) {
    const std::string one = write_temp("sweep-fact-bad.csv", fact_header + fact_good + row);
    const CliRun r = s.run(rec + q(one) + " --out " + q(out), {out});
    EXPECT_EQ(r.exit_code, 1) << row << ": " << r.output;
  }

  // Without --rejects each bad row stops the run with an error that echoes it.
  for (std::size_t i = 0; i < kBadRows.size(); ++i) {
    const std::string one = write_temp("sweep-bad.csv", kHeader + kGoodRows + kBadRows[i]);
    for (const char* format : {"csv", "json"}) {
      const CliRun r = s.run(rec + q(one) + " --format " + format + " --out " + q(out), {out});
      EXPECT_EQ(r.exit_code, 1) << "bad row " << i << ": " << r.output;
    }
  }

  // report, payouts, score on 000 with numbers in unit names and in progress.
  nlohmann::json policy;
  std::ifstream(k000) >> policy;
  policy["campaign"]["title"] = policy["campaign"]["title"].get<std::string>() + kValid18X;
  policy["units"][0]["name"] = "县" + kValid18;
  policy["units"][1]["name"] = kValid15 + "镇";
  for (std::size_t i = 2; i < policy["units"].size(); ++i) {
    policy["units"][i]["name"] =
        policy["units"][i]["name"].get<std::string>() + (i % 2 ? kBadCheck18 : kValid15b);
  }
  const std::string named = write_temp("sweep-000.json", policy.dump());
  const std::string bad_progress =
      write_temp("sweep-progress.csv",
                 read_text(k000Progress) + kValid18 + ",resident_enrolled,2021-06-01,10\n");
  const std::string id_value_progress =
      write_temp("sweep-progress2.csv",
                 "unit_id,metric,date,value\n" + policy["units"][3]["id"].get<std::string>() +
                     ",resident_enrolled," + "2021-06-01," + kValid18 + "\n");
  for (const std::string command : {"report", "payouts", "score", "costs"}) {
    for (const char* format : {"text", "json", "csv", "html"}) {
      if (command == "report" && std::string(format) == "csv") continue;
      if (command != "report" && std::string(format) == "html") continue;
      const std::string args = " --as-of 2021-12-31 --format " + std::string(format);
      CliRun r = s.run(command + " " + q(named) + " --progress " + q(k000Progress) + args);
      EXPECT_EQ(r.exit_code, 0) << command << " " << format << ": " << r.err;
      r = s.run(command + " " + q(named) + " --progress " + q(bad_progress) + args);
      EXPECT_EQ(r.exit_code, 1) << command << " " << format << ": " << r.output;
      s.run(command + " " + q(named) + " --progress " + q(id_value_progress) + args);
    }
  }

  // id: every number, every format, on the command line and on standard input.
  for (const std::string& id : forbidden()) {
    for (const char* options : {"", " --masked", " --format json", " --masked --format json"}) {
      s.run("id " + id + options);
      s.run("id -" + std::string(options) + " < " + q(stdin_file(id)));
    }
  }

  // validate: a number in a note (valid policy), in an unknown key and as a
  // bad value (invalid policies).
  nlohmann::json noted = policy;
  noted["campaign"]["source"] = "000 联系人身份证 " + kValid18;
  s.run("validate " + q(write_temp("sweep-noted.json", noted.dump())));
  nlohmann::json unknown = policy;
  unknown["campaign"][kValid18] = 1;
  EXPECT_EQ(s.run("validate " + q(write_temp("sweep-unknown.json", unknown.dump()))).exit_code, 1);
  nlohmann::json bad_value = policy;
  bad_value["campaign"]["phases"][0]["start"] = kValid18X;
  EXPECT_EQ(s.run("validate " + q(write_temp("sweep-badvalue.json", bad_value.dump()))).exit_code,
            1);
  s.run("validate " + q(write_temp("sweep-syntax.json", "{\"campaign\": " + kValid18 + "x}")));

  // test: numbers in case names, sources and a failing expectation.
  nlohmann::json cases;
  std::ifstream(kSource + "/examples/cases/004-shiyan-2023.cases.json") >> cases;
  cases["policy"] = k004;
  cases["cases"][0]["name"] = "张三 " + kValid18 + " " + kValid15;
  cases["cases"][0]["source"] = kBadCheck18;
  cases["cases"][0]["expect"]["age"] = 99;  // fails, so details are printed
  cases["cases"][1]["name"] = kValid18X;
  s.run("test " + q(k004) + " " + q(write_temp("sweep.cases.json", cases.dump())));
  nlohmann::json bad_case = cases;
  bad_case["cases"][2]["person"]["sex"] = kValid18;
  s.run("test " + q(k004) + " " + q(write_temp("sweep-bad.cases.json", bad_case.dump())));

  // diff: the same roster under a reform, every format.
  for (const char* format : {"text", "json", "csv"}) {
    const std::string diff = "diff " + q(k004) + " --patch " +
                             q(kSource + "/examples/patches/004-age-rule-50-45.json") +
                             " --as-of 2023-06-30 --format " + format + " --roster ";
    s.run(diff + q(good_roster));
    s.run(diff + q(roster));
    s.run("diff " + q(k000) + " " + q(named) + " --progress " + q(k000Progress) +
          " --as-of 2021-12-31 --format " + format);
  }

  EXPECT_GT(s.runs, 100);
  std::string report;
  for (const std::string& leak : s.leaks) report += leak + "\n";
  EXPECT_TRUE(s.leaks.empty()) << s.leaks.size() << " leaks:\n" << report;
}

// Every occurrence of `from` in `text` replaced by `to`.
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

// A unit table (docs/units-table.md) with numbers as unit ids, in names and in
// the source column, whose targets do not add up (the warnings quote the ids):
// validate in every format, and the commands that print units, show none whole.
TEST(PrivacySweep, AUnitTableShowsNoWholeIdNumber) {
  if (!canbao_test::cli_built()) GTEST_SKIP() << "CLI not built";
  Sweep s;
  // The table beside the policy, under the name the policy gives it.
  const std::string table_path = unique_temp_path("sweep-units.csv");
  const std::string table_name = table_path.substr(table_path.find_last_of('/') + 1);
  nlohmann::json policy;
  std::ifstream(kSource + "/examples/units-table/000-xx-town-2021.json") >> policy;
  policy["units"]["table"] = table_name;
  const std::string policy_path = write_temp("sweep-tabled.json", policy.dump());
  std::string table = read_text(kSource + "/examples/units-table/000-units.csv");
  table =
      replaced(table, "hongqi,红旗村,village,xx-town,1980", kValid18 + ",红旗村,village,xx-town,1");
  table = replaced(table, "xinmin,新民村", kValid15b + ",新民村" + kValid18X);
  table = replaced(table, "(000 五)", "(000 五 " + kBadCheck18 + ")");
  const std::string progress =
      write_temp("sweep-tabled-progress.csv",
                 replaced(replaced(read_text(k000Progress), "hongqi,", kValid18 + ","), "xinmin,",
                          kValid15b + ","));
  const auto validate_all = [&](const std::string& csv, int exit_code) {
    std::ofstream(table_path, std::ios::binary) << csv;
    for (const char* options : {"", " --format json", " --strict", " --strict --format json"}) {
      const CliRun r = s.run("validate " + q(policy_path) + options);
      EXPECT_EQ(r.exit_code,
                std::string(options).find("strict") != std::string::npos ? 1 : exit_code)
          << options << ": " << r.output;
    }
  };
  validate_all(table, 0);
  const std::string out = unique_temp_path("sweep-tabled-out");
  for (const std::string command : {"report", "payouts", "score", "costs", "values"}) {
    for (const char* format : {"text", "json", "csv", "html"}) {
      if (command == "report" && std::string(format) == "csv") continue;
      if (command != "report" && std::string(format) == "html") continue;
      const CliRun r = s.run(command + " " + q(policy_path) + " --progress " + q(progress) +
                                 " --as-of 2021-12-31 --format " + format + " --out " + q(out),
                             {out});
      EXPECT_EQ(r.exit_code, 0) << command << " " << format << ": " << r.output;
    }
  }
  // Bad tables: a number as a repeated id, as a parent that is no unit, as a
  // count (with its check character X: no whole number), in a cycle.
  const std::string header =
      "id,name,level,parent,target.resident_enrolled,target.resident_paid,source\n"
      "xx-town,XX镇,town,,10470,8540,\n";
  for (const std::string& rows :
       {kValid18 + ",甲,village,xx-town,1,1,\n" + kValid18 + ",乙,village,xx-town,1,1,\n",
        "a,甲,village," + kValid15 + ",1,1,\n", "a,甲,village,xx-town," + kValid18X + ",1,\n",
        kValid18 + ",甲,village," + kBadDate18 + ",1,1,\n" + kBadDate18 + ",乙,village," +
            kValid18 + ",1,1,\n"}) {
    validate_all(header + rows, 1);
    EXPECT_EQ(
        s.run("report " + q(policy_path) + " --progress " + q(progress) + " --as-of 2021-12-31")
            .exit_code,
        1);
  }
  std::remove(table_path.c_str());

  EXPECT_GT(s.runs, 30);
  std::string report;
  for (const std::string& leak : s.leaks) report += leak + "\n";
  EXPECT_TRUE(s.leaks.empty()) << s.leaks.size() << " leaks:\n" << report;
}

}  // namespace
