// Unit tables (docs/units-table.md): a policy may name a CSV of its units
// instead of carrying them inline. A tabled policy is the same policy: the
// same canonical JSON, fingerprint and answers (000 and 001); the table's
// content is in the fingerprint; every error names units.csv:line:column; a
// policy file reads a table from its own folder only; the C++ and call_json
// hosts hand the table over (the library opens no file).
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include <canbao/json_api.hpp>
#include <canbao/policy.hpp>
#include <canbao/policy_check.hpp>

#include "detail/csv.hpp"
#include "detail/policy_reader.hpp"
#include "detail/sha256.hpp"
#include "source_files.hpp"

namespace canbao {
namespace {

using canbao_test::source_text;
using nlohmann::json;

// The document with its inline units moved to a table: columns as the units
// use them (target.<metric>, base.<name>), allocations under units.allocate.
struct Tabled {
  std::string policy;
  std::string csv;
};

Tabled tabled(const std::string& inline_text) {
  json doc = json::parse(inline_text);
  std::set<std::string> targets, bases;
  bool source = false;
  for (const auto& u : doc["units"]) {
    if (u.contains("targets"))
      for (auto it = u["targets"].begin(); it != u["targets"].end(); ++it) targets.insert(it.key());
    if (u.contains("bases"))
      for (auto it = u["bases"].begin(); it != u["bases"].end(); ++it) bases.insert(it.key());
    source = source || u.contains("source");
  }
  std::vector<std::string> header{"id", "name", "level", "parent"};
  for (const auto& t : targets) header.push_back("target." + t);
  for (const auto& b : bases) header.push_back("base." + b);
  if (source) header.push_back("source");
  std::ostringstream csv;
  detail::write_csv_row(csv, header);
  json allocate = json::object();
  for (const auto& u : doc["units"]) {
    std::vector<std::string> row;
    const auto text = [](const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); };
    row.push_back(u["id"].get<std::string>());
    row.push_back(u["name"].get<std::string>());
    row.push_back(u["level"].get<std::string>());
    row.push_back(u.value("parent", ""));
    for (const auto& t : targets)
      row.push_back(u.contains("targets") && u["targets"].contains(t) ? text(u["targets"][t]) : "");
    for (const auto& b : bases)
      row.push_back(u.contains("bases") && u["bases"].contains(b) ? text(u["bases"][b]) : "");
    if (source) row.push_back(u.value("source", ""));
    detail::write_csv_row(csv, row);
    if (u.contains("allocate")) allocate[u["id"].get<std::string>()] = u["allocate"];
  }
  json units{{"table", "units.csv"}};
  if (!allocate.empty()) units["allocate"] = allocate;
  doc["units"] = units;
  return {doc.dump(1), csv.str()};
}

PolicyFiles files(const std::string& csv) { return PolicyFiles{{{"units.csv", csv}}}; }

std::string policy_error_where(const std::string& policy, const std::string& csv,
                               std::string* message = nullptr) {
  try {
    load_policy(policy, files(csv));
  } catch (const PolicyError& e) {
    if (message) *message = e.message();
    return e.where();
  }
  return "(loaded)";
}

const char* const kExamples[] = {"examples/policies/000-xx-town-2021.json",
                                 "examples/policies/001-chengjiang-2021.json"};

TEST(UnitTable, TabledPolicyIsTheInlinePolicy) {
  for (const char* path : kExamples) {
    SCOPED_TRACE(path);
    const std::string text = source_text(path);
    const PolicyPtr inline_policy = load_policy(text);
    const Tabled t = tabled(text);
    const PolicyPtr table_policy = load_policy(t.policy, files(t.csv));
    // The canonical JSON writes the units inline: the same text, fingerprint.
    EXPECT_EQ(to_json(*table_policy, -1), to_json(*inline_policy, -1));
    EXPECT_EQ(table_policy->fingerprint(), inline_policy->fingerprint());
    EXPECT_EQ(table_policy->units.table(), "units.csv");
    EXPECT_EQ(inline_policy->units.table(), "");
    ASSERT_EQ(table_policy->units.units.size(), inline_policy->units.units.size());
  }
}

TEST(UnitTable, AllocationsBesideTheTableGiveTheSameTargets) {
  // 001 三: the towns' 106,800 resident enrollments are implied by their
  // targets; employee targets are allocated over towns by their bases. Every
  // unit's targets (given, allocated, implied) are the inline policy's.
  const std::string text = source_text("examples/policies/001-chengjiang-2021.json");
  const PolicyPtr a = load_policy(text);
  const Tabled t = tabled(text);
  ASSERT_NE(t.policy.find("\"allocate\""), std::string::npos);  // 001 allocates
  const PolicyPtr b = load_policy(t.policy, files(t.csv));
  std::size_t allocated = 0;
  for (std::size_t u = 0; u < a->units.units.size(); ++u) {
    const auto& x = a->units.units[u].targets;
    const auto& y = b->units.units[u].targets;
    ASSERT_EQ(x.size(), y.size());
    for (std::size_t k = 0; k < x.size(); ++k) {
      EXPECT_EQ(x[k].metric, y[k].metric);
      EXPECT_EQ(x[k].value, y[k].value);
      EXPECT_EQ(x[k].origin, y[k].origin);
      allocated += x[k].origin == TargetOrigin::allocated;
    }
  }
  EXPECT_GT(allocated, 0u);
}

TEST(UnitTable, TabledAnswersAreTheInlineAnswers) {
  // 000's payouts, scores and report, and 001's report, from the example
  // progress: the same bytes whether the units are inline or in a table.
  const struct {
    const char* policy;
    const char* progress;
    const char* as_of;
    std::vector<const char*> ops;
  } cases[] = {
      {kExamples[0],
       "examples/progress/000-xx-town-2021.csv",
       "2021-12-31",
       {"payouts", "scores", "report"}},
      {kExamples[1], "examples/progress/001-chengjiang-2021.csv", "2021-12-31", {"report"}},
  };
  for (const auto& c : cases) {
    const std::string text = source_text(c.policy);
    const PolicyPtr a = load_policy(text);
    const Tabled t = tabled(text);
    const PolicyPtr b = load_policy(t.policy, files(t.csv));
    for (const char* op : c.ops) {
      SCOPED_TRACE(std::string(c.policy) + " " + op);
      const json request{{"op", op}, {"as_of", c.as_of}, {"progress_csv", source_text(c.progress)}};
      const std::string answer = call_json(a.get(), request.dump());
      EXPECT_EQ(call_json(b.get(), request.dump()), answer);
      EXPECT_EQ(answer.find("\"error\""), std::string::npos) << answer.substr(0, 300);
    }
  }
}

TEST(UnitTable, ATableCellIsInTheFingerprint) {
  // 000 五: 东风村's resident enrollment task 1220; one more changes the fingerprint.
  const Tabled t = tabled(source_text(kExamples[0]));
  const PolicyPtr a = load_policy(t.policy, files(t.csv));
  std::string changed = t.csv;
  const auto at = changed.find("dongfeng,东风村,village,xx-town,1220");
  ASSERT_NE(at, std::string::npos);
  changed.replace(changed.find("1220", at), 4, "1221");
  const PolicyPtr b = load_policy(t.policy, files(changed));
  EXPECT_NE(b->fingerprint(), a->fingerprint());
  EXPECT_EQ(b->units.units[1].targets[0].value, Ratio(1221));
  // The fingerprint is the SHA-256 of the canonical JSON, streamed or not.
  EXPECT_EQ(b->fingerprint(), detail::sha256_hex(detail::policy_json(*b).dump()));
}

TEST(UnitTable, StreamedCanonicalJsonIsTheDomDump) {
  for (const char* path :
       {"examples/policies/000-xx-town-2021.json", "examples/policies/001-chengjiang-2021.json",
        "examples/policies/003-hengyang.json", "examples/policies/004-shiyan-2023.json"}) {
    SCOPED_TRACE(path);
    const PolicyPtr p = load_policy(source_text(path));
    EXPECT_EQ(to_json(*p, -1), detail::policy_json(*p).dump());
  }
  // Escapes as nlohmann writes them: quote, backslash, control characters.
  json doc = json::parse(source_text(kExamples[0]));
  doc["units"][1]["name"] = "东\"风\\村\x01\t";
  doc["units"][1]["source"] = "000 五 \"village\"\n";
  const PolicyPtr p = load_policy(doc.dump());
  ASSERT_NE(to_json(*p, -1).find("\\u0001"), std::string::npos);
  EXPECT_EQ(to_json(*p, -1), detail::policy_json(*p).dump());
}

TEST(UnitTable, Sha256InPiecesIsTheOneShotDigest) {
  // FIPS 180-2 B.3: one million 'a'.
  const std::string million(1000000, 'a');
  EXPECT_EQ(detail::sha256_hex(million),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  detail::Sha256 h;
  for (std::size_t at = 0, step = 1; at < million.size(); at += step, step = step % 97 + 1)
    h.update(std::string_view(million).substr(at, step));
  EXPECT_EQ(h.finish_hex(), detail::sha256_hex(million));
}

// 000's policy naming a small table; `rows` follow the header.
std::string policy_000() {
  json doc = json::parse(source_text(kExamples[0]));
  doc["units"] = {{"table", "units.csv"}};
  doc.erase("work_fund");  // the work fund and scoring name 000's villages
  doc.erase("scoring");
  doc.erase("milestones");
  doc.erase("completion");
  return doc.dump();
}
const std::string kHeader = "id,name,level,parent,target.resident_enrolled,base.found\n";
const std::string kTown = "xx-town,XX镇,town,,,\n";

TEST(UnitTable, EveryTableErrorNamesFileLineAndColumn) {
  const std::string p = policy_000();
  std::string m;
  EXPECT_EQ(policy_error_where(p, kHeader + kTown + "a,A村,village,xx-town,12x,\n", &m),
            "units.csv:3:5");
  EXPECT_NE(m.find("takes a whole number"), std::string::npos) << m;
  EXPECT_EQ(policy_error_where(p, kHeader + kTown + "a,A村,village,xx-town,1,-3\n", &m),
            "units.csv:3:6");
  EXPECT_NE(m.find("whole number >= 0"), std::string::npos) << m;
  EXPECT_EQ(policy_error_where(p, kHeader + kTown + ",A村,village,xx-town,1,\n", &m),
            "units.csv:3:1");
  EXPECT_EQ(policy_error_where(p, kHeader + kTown + "a,A村,village,nowhere,1,\n", &m),
            "units.csv:3:4");
  EXPECT_NE(m.find("no unit \"nowhere\""), std::string::npos) << m;
  EXPECT_EQ(policy_error_where(p, kHeader + kTown + "xx-town,X,town,,,\n", &m), "units.csv:3:1");
  EXPECT_NE(m.find("also units.csv:2:1"), std::string::npos) << m;
  EXPECT_EQ(policy_error_where(p, "id,name,level,taget.resident_enrolled\n" + kTown, &m),
            "units.csv:1:4");
  EXPECT_NE(m.find("unknown column"), std::string::npos) << m;
  EXPECT_EQ(policy_error_where(p, "id,name,level,target.nope\n", &m), "units.csv:1:4");
  EXPECT_NE(m.find("no metric \"nope\""), std::string::npos) << m;
  EXPECT_EQ(policy_error_where(p, kHeader + kTown + "a,\"A村,village,xx-town,1,\n", &m)
                .rfind("units.csv:3", 0),
            0u)
      << m;
  EXPECT_EQ(policy_error_where(p, kHeader + kTown + "a,A村,village\n", &m), "units.csv:3");
  EXPECT_EQ(policy_error_where(p, kHeader, &m), "units.csv");
  // The host did not hand the table over.
  try {
    load_policy(p);
    ADD_FAILURE();
  } catch (const PolicyError& e) {
    EXPECT_EQ(e.where(), "units.table");
    EXPECT_NE(e.message().find("opens no file"), std::string::npos);
    // Every host's way to hand it over is named, C's too.
    for (const char* way : {"PolicyFiles", "canbao_policy_from_json_files", "\"policy_files\"",
                            "Policy.from_json(tables=...)"})
      EXPECT_NE(e.message().find(way), std::string::npos) << way;
  }
}

TEST(UnitTable, ACheckReportsEveryBadRowAndWarnsAtTheCell) {
  const std::string p = policy_000();
  const PolicyCheck c = check_policy_text(
      p, CheckOptions{}, "policy",
      files(kHeader + kTown + "a,A村,village,xx-town,x,\nb,B村,village,xx-town,1,y\n"));
  ASSERT_EQ(c.errors(), 2u);
  EXPECT_EQ(c.diagnostics[0].path, "units.csv:3:5");
  EXPECT_EQ(c.diagnostics[1].path, "units.csv:4:6");
  // 100 given on the town, its villages add up to 40 + 50 = 90.
  const PolicyCheck w = check_policy_text(
      p, CheckOptions{}, "policy",
      files(kHeader +
            "xx-town,XX镇,town,,100,\na,A村,village,xx-town,40,\nb,B村,village,xx-town,50,\n"));
  ASSERT_EQ(w.errors(), 0u);
  bool found = false;
  for (const auto& d : w.diagnostics) {
    if (d.path != "units.csv:2:5") continue;
    found = true;
    EXPECT_NE(d.message.find("add up to 90 (units.csv:3 \"a\" 40, units.csv:4 \"b\" 50)"),
              std::string::npos)
        << d.message;
  }
  EXPECT_TRUE(found);
}

TEST(UnitTable, APolicyFileReadsItsTableFromItsOwnFolderOnly) {
  const auto dir = std::filesystem::temp_directory_path() / "canbao-unit-table-test";
  std::filesystem::create_directories(dir / "data");
  const Tabled t = tabled(source_text(kExamples[0]));
  std::ofstream(dir / "data" / "units.csv", std::ios::binary) << t.csv;
  std::ofstream(dir / "units.csv", std::ios::binary) << t.csv;
  const auto write_policy = [&](const std::string& name) {
    json doc = json::parse(t.policy);
    doc["units"]["table"] = name;
    std::ofstream(dir / "policy.json", std::ios::binary) << doc.dump();
    return (dir / "policy.json").string();
  };
  const PolicyPtr inline_policy = load_policy(source_text(kExamples[0]));
  EXPECT_EQ(load_policy_file(write_policy("units.csv"))->fingerprint(),
            inline_policy->fingerprint());
  EXPECT_EQ(load_policy_file(write_policy("data/units.csv"))->fingerprint(),
            inline_policy->fingerprint());
  EXPECT_TRUE(check_policy_file(write_policy("data/units.csv")).ok(false));
  for (const char* bad : {"../units.csv", "/etc/passwd", "data/../units.csv", "./units.csv",
                          "data\\units.csv", "data//units.csv", "C:units.csv"}) {
    SCOPED_TRACE(bad);
    const std::string path = write_policy(bad);
    try {
      load_policy_file(path);
      ADD_FAILURE();
    } catch (const PolicyError& e) {
      EXPECT_EQ(e.where(), "units.table");
      EXPECT_NE(e.message().find("own folder only"), std::string::npos) << e.message();
    }
    const PolicyCheck c = check_policy_file(path);
    ASSERT_EQ(c.errors(), 1u);
    EXPECT_EQ(c.diagnostics[0].path, "units.table");
  }
  try {
    load_policy_file(write_policy("missing.csv"));
    ADD_FAILURE();
  } catch (const PolicyError& e) {
    EXPECT_EQ(e.where(), "units.table");
    EXPECT_NE(e.message().find("cannot open the unit table"), std::string::npos);
  }
  std::filesystem::remove_all(dir);
}

TEST(UnitTable, CallJsonChecksATableHandedOverInTheRequest) {
  const Tabled t = tabled(source_text(kExamples[0]));
  const json ok = json::parse(call_json(
      nullptr,
      json{{"op", "check_policy"}, {"policy", t.policy}, {"policy_files", {{"units.csv", t.csv}}}}
          .dump()));
  EXPECT_EQ(ok["ok"], true) << ok.dump();
  EXPECT_EQ(ok["fingerprint"], load_policy(source_text(kExamples[0]))->fingerprint());
  // Without it, the request reads no file: the one error names units.table.
  const json missing =
      json::parse(call_json(nullptr, json{{"op", "check_policy"}, {"policy", t.policy}}.dump()));
  EXPECT_EQ(missing["ok"], false);
  EXPECT_EQ(missing["diagnostics"][0]["path"], "units.table");
}

}  // namespace
}  // namespace canbao
