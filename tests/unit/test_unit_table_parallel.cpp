// A national unit table is read on two threads (unit_table.cpp
// read_rows_parallel, from 50,000 rows; issue 15): the same units, index,
// places, fingerprint and messages as the sequential reader, which still reads
// any table with a quote, and reads again any table that had an error.
#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

#include <canbao/error.hpp>
#include <canbao/policy.hpp>
#include <canbao/policy_check.hpp>

#include "source_files.hpp"

namespace canbao {
namespace {

using nlohmann::json;

// 000's policy naming a table (its sections that name 000's villages removed).
std::string policy_000() {
  json doc = json::parse(canbao_test::source_text("examples/policies/000-xx-town-2021.json"));
  doc["units"] = {{"table", "units.csv"}};
  doc.erase("work_fund");
  doc.erase("scoring");
  doc.erase("milestones");
  doc.erase("completion");
  return doc.dump();
}

PolicyFiles files(const std::string& csv) { return PolicyFiles{{{"units.csv", csv}}}; }

constexpr std::size_t kVillages = 120'001;  // two unequal halves, past the threshold

// Village i is on line i + 3 (the header, then the town).
std::string village(std::size_t i, const std::string& name) {
  return "v" + std::to_string(i) + "," + name + ",village,xx-town," + std::to_string(i % 7 + 1) +
         "," + std::to_string(i % 5) + "\n";
}

// `replace(i)` gives village i's row instead of the usual one, when not empty.
template <class Replace>
std::string big_table(Replace replace) {
  std::string s = "id,name,level,parent,target.resident_enrolled,base.found\n";
  s += "xx-town,XX镇,town,,,\n";
  for (std::size_t i = 0; i < kVillages; ++i) {
    const std::string row = replace(i);
    s += row.empty() ? village(i, "村" + std::to_string(i)) : row;
  }
  return s;
}
std::string big_table() {
  return big_table([](std::size_t) { return std::string(); });
}

std::string error_where(const std::string& csv, std::string* message) {
  message->clear();
  try {
    load_policy(policy_000(), files(csv));
  } catch (const PolicyError& e) {
    *message = e.message();
    return e.where();
  }
  return "(loaded)";
}

TEST(UnitTableParallel, TheTwoThreadReadIsTheSequentialRead) {
  const std::string plain = big_table();
  // One quoted cell (the same name): the sequential reader reads this one.
  const std::string quoted =
      big_table([](std::size_t i) { return i == 0 ? village(0, "\"村0\"") : std::string(); });
  const PolicyPtr a = load_policy(policy_000(), files(plain));
  const PolicyPtr b = load_policy(policy_000(), files(quoted));
  ASSERT_EQ(a->units.units.size(), kVillages + 1);
  ASSERT_EQ(b->units.units.size(), kVillages + 1);
  EXPECT_EQ(a->fingerprint(), b->fingerprint());
  for (std::size_t u = 0; u < a->units.units.size(); ++u) {
    const Unit& x = a->units.units[u];
    const Unit& y = b->units.units[u];
    ASSERT_EQ(x.id, y.id) << u;
    ASSERT_EQ(x.name, y.name) << u;
    ASSERT_EQ(x.parent_index(), y.parent_index()) << u;
    ASSERT_EQ(x.bases, y.bases) << u;
    ASSERT_EQ(x.targets.size(), y.targets.size()) << u;
    for (std::size_t k = 0; k < x.targets.size(); ++k) {
      ASSERT_EQ(x.targets[k].metric, y.targets[k].metric) << u;
      ASSERT_EQ(x.targets[k].value, y.targets[k].value) << u;
      ASSERT_EQ(x.targets[k].metric_index(), y.targets[k].metric_index()) << u;
    }
  }
  // The index finds units of both halves; the town's target is their sum.
  EXPECT_EQ(a->units.find("v0"), 1);
  EXPECT_EQ(a->units.find("v120000"), static_cast<int>(kVillages));
  EXPECT_EQ(a->units.find("v60000"), 60001);
  EXPECT_EQ(a->units.find("v120001"), -1);
  const int m = a->metric_index("resident_enrolled");
  ASSERT_NE(a->units.units[0].target(m), nullptr);
  EXPECT_EQ(a->units.units[0].target(m)->value, b->units.units[0].target(m)->value);
}

TEST(UnitTableParallel, AnErrorInEitherHalfNamesItsLine) {
  std::string m;
  // A bad target in the second half: its own line, as the sequential reader says.
  EXPECT_EQ(error_where(big_table([](std::size_t i) {
                          return i == 100'000 ? "v100000,X,village,xx-town,12x,1\n" : std::string();
                        }),
                        &m),
            "units.csv:100003:5");
  EXPECT_NE(m.find("takes a whole number"), std::string::npos) << m;
  // An id of the first half repeated in the second: both places named.
  EXPECT_EQ(error_where(big_table([](std::size_t i) {
                          return i == 110'000 ? village(10, "X") : std::string();
                        }),
                        &m),
            "units.csv:110003:1");
  EXPECT_NE(m.find("duplicate unit id \"v10\" (also units.csv:13:1)"), std::string::npos) << m;
  // A blank row in the middle: the sequential reader's word on it (forced by
  // a quoted cell), byte for byte.
  const auto blank = [](bool quote) {
    return big_table([quote](std::size_t i) {
      if (i == 0 && quote) return village(0, "\"村0\"");
      return i == 30'000 ? "\n" + village(i, "Y") : std::string();
    });
  };
  std::string sequential;
  EXPECT_EQ(error_where(blank(false), &m), error_where(blank(true), &sequential));
  EXPECT_EQ(m, sequential);
}

TEST(UnitTableParallel, ACheckReportsEveryBadRowInOrderAndWarnsWithTheRightLines) {
  const std::string csv = big_table([](std::size_t i) -> std::string {
    if (i == 5) return "v5,X,village,xx-town,x,1\n";
    if (i == 90'000) return "v90000,X,village,xx-town,1,y\n";
    return "";
  });
  const PolicyCheck c = check_policy_text(policy_000(), CheckOptions{}, "policy", files(csv));
  ASSERT_EQ(c.errors(), 2u);
  EXPECT_EQ(c.diagnostics[0].path, "units.csv:8:5");
  EXPECT_EQ(c.diagnostics[1].path, "units.csv:90003:6");
  // A town near the end whose villages do not add up: the warning names the
  // lines the second half was read from.
  std::string ok = big_table();
  ok += "t2,T2镇,town,,100,\nw1,W1村,village,t2,40,\nw2,W2村,village,t2,50,\n";
  const PolicyCheck w = check_policy_text(policy_000(), CheckOptions{}, "policy", files(ok));
  ASSERT_EQ(w.errors(), 0u);
  const std::string town = "units.csv:" + std::to_string(kVillages + 3) + ":5";
  bool found = false;
  for (const auto& d : w.diagnostics) {
    if (d.path != town) continue;
    found = true;
    EXPECT_NE(
        d.message.find("add up to 90 (units.csv:" + std::to_string(kVillages + 4) +
                       " \"w1\" 40, units.csv:" + std::to_string(kVillages + 5) + " \"w2\" 50)"),
        std::string::npos)
        << d.message;
  }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace canbao
