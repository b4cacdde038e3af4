// Errors carry their place as fields (ErrorPlace), so callers act on the line,
// column or batch row without parsing where() back out of text (issue 10 §5).
#include <canbao/batch.hpp>
#include <canbao/error.hpp>
#include <canbao/recommender.hpp>
#include <canbao/roster.hpp>

#include <gtest/gtest.h>

#include <sstream>

using namespace canbao;

namespace {

template <class F>
Error caught(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "no error";
  return Error(ErrorKind::internal, "", "");
}

}  // namespace

TEST(ErrorPlace, TextIsWhereForEveryShape) {
  EXPECT_EQ((ErrorPlace{"columns.sex", std::nullopt, std::nullopt, 17}).text(), "columns.sex[17]");
  EXPECT_EQ((ErrorPlace{"roster.csv", 12, 3, std::nullopt}).text(), "roster.csv:12:3");
  EXPECT_EQ((ErrorPlace{"roster.csv", 12, std::nullopt, std::nullopt}).text(), "roster.csv:12");
  EXPECT_EQ((ErrorPlace{"", 4, 2, std::nullopt}).text(), "line 4, column 2");
  EXPECT_EQ((ErrorPlace{"units[3].id", std::nullopt, std::nullopt, std::nullopt}).text(), "units[3].id");
  const InputError e(ErrorPlace{"columns.birth_day", std::nullopt, std::nullopt, 5}, "too early");
  EXPECT_EQ(e.where(), "columns.birth_day[5]");
  EXPECT_STREQ(e.what(), "columns.birth_day[5]: too early");
  EXPECT_EQ(e.place().name, "columns.birth_day");
  EXPECT_EQ(e.place().row, 5u);
  EXPECT_FALSE(e.place().line);
}

TEST(ErrorPlace, TextErrorsKeepTheirWhereAsName) {
  const PolicyError e("campaign.phases[3].end", "not a date");
  EXPECT_EQ(e.place().name, "campaign.phases[3].end");
  EXPECT_FALSE(e.place().line || e.place().column || e.place().row);
}

TEST(ErrorPlace, NameIsMaskedLikeWhere) {
  const InputError e(ErrorPlace{"11010519491231002X.csv", 2, 1, std::nullopt}, "bad");
  EXPECT_EQ(e.where(), "110105********002X.csv:2:1");
  EXPECT_EQ(e.place().name, "110105********002X.csv");
}

TEST(ErrorPlace, RosterCsvErrorsCarryLineAndColumn) {
  std::istringstream in(
      "id,id_number,name,sex,birth_date,hukou_local,insurance_status,employment,resident_grade_yuan,flags\n"
      "a,,A,male,1980-01-01,true,none,farmer,,\n"
      "b,,B,male,1980-01-01,maybe,none,farmer,,\n");
  const Error e = caught([&] { read_roster(in, "r.csv", (*Date::from_ymd(2023, 6, 30)), false); });
  EXPECT_EQ(e.place().name, "r.csv");
  EXPECT_EQ(e.place().line, 3u);
  EXPECT_EQ(e.place().column, 6u);
  EXPECT_EQ(e.where(), "r.csv:3:6");
}

TEST(ErrorPlace, BatchErrorsCarryColumnAndRow) {
  const Recommender rec(load_policy_file(std::string(CANBAO_SOURCE_DIR) +
                                         "/examples/policies/004-shiyan-2023.json"));
  PersonColumnStore store;
  for (int i = 0; i < 40; ++i) {
    store.sex.push_back(0);
    store.birth_day.push_back((*Date::from_ymd(1980, 1, 1)).day_number());
    store.hukou_local.push_back(1);
    store.insurance_status.push_back(0);
    store.employment.push_back(4);
    store.resident_grade_yuan.push_back(0);
    store.flags.push_back(0);
  }
  store.employment[33] = 200;
  std::vector<std::uint8_t> scheme(40), actions(40), groups(40);
  const Error e = caught([&] {
    rec.recommend_batch((*Date::from_ymd(2023, 6, 30)), store.view(),
                        RecommendationColumns{scheme.data(), actions.data(), groups.data(), nullptr});
  });
  EXPECT_EQ(e.kind(), ErrorKind::input);
  EXPECT_EQ(e.place().name, "columns.employment");
  EXPECT_EQ(e.place().row, 33u);
  EXPECT_EQ(e.where(), "columns.employment[33]");
}
