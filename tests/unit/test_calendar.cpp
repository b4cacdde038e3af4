#include <canbao/calendar.hpp>
#include <canbao/policy.hpp>

#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

using canbao::Date;
using canbao::resolve_date_spec;

namespace {

Date d(int y, int m, int day) { return *Date::from_ymd(y, m, day); }

canbao::PolicyPtr example(const std::string& name) {
  return canbao::load_policy_file(std::string(CANBAO_SOURCE_DIR) + "/examples/policies/" + name);
}

std::vector<std::string> phase_names_on(const canbao::Campaign& c, Date day) {
  std::vector<std::string> names;
  for (const auto* p : canbao::phases_on(c, day)) names.push_back(p->name);
  return names;
}

}  // namespace

TEST(Calendar, LiteralDatesAreTakenAsWritten) {
  EXPECT_EQ(resolve_date_spec("2021-09-30", 2030), d(2021, 9, 30));
}

TEST(Calendar, TemplatesResolveAgainstTheCampaignYear) {
  EXPECT_EQ(resolve_date_spec("{year}-09-01", 2024), d(2024, 9, 1));
  EXPECT_EQ(resolve_date_spec("{year+1}-01-20", 2024), d(2025, 1, 20));
  EXPECT_EQ(resolve_date_spec("{year-1}-12-31", 2024), d(2023, 12, 31));
}

TEST(Calendar, LastDayOfFebruaryFollowsLeapYears) {
  // 002: 总结考核 ends "02-29 of the next year", a day that exists only in leap years.
  EXPECT_EQ(resolve_date_spec("{year+1}-02-last", 2024), d(2025, 2, 28));
  EXPECT_EQ(resolve_date_spec("{year+1}-02-last", 2023), d(2024, 2, 29));
  EXPECT_EQ(resolve_date_spec("2100-02-last", 0), d(2100, 2, 28));
}

TEST(Calendar, LiteralFebruaryTwentyNinthOfACommonYearIsRejectedWithReason) {
  std::string why;
  EXPECT_FALSE(resolve_date_spec("2023-02-29", 2023, &why));
  EXPECT_EQ(why, "2023-02-29 is not a date (2023 is not a leap year)");
}

TEST(Calendar, TemplateNamingANonexistentDayIsRejectedForThatYear) {
  std::string why;
  EXPECT_TRUE(resolve_date_spec("{year+1}-02-29", 2023));
  EXPECT_FALSE(resolve_date_spec("{year+1}-02-29", 2024, &why));
  EXPECT_NE(why.find("2025-02-29 is not a date (2025 is not a leap year)"), std::string::npos)
      << why;
  EXPECT_NE(why.find("{year+1}-02-last"), std::string::npos) << why;
  EXPECT_FALSE(resolve_date_spec("{year}-04-31", 2024, &why));
  EXPECT_NE(why.find("2024-04-31 is not a date"), std::string::npos) << why;
}

TEST(Calendar, MalformedDateSpecsAreRejected) {
  for (const char* bad :
       {"", "2021-9-30", "{year}-13-01", "{year+}-01-01", "{yr}-01-01", "{year+1}-01-1",
        "{year}-01-first", "2021/09/30", "{year*2}-01-01", "{year+1}01-01", "2021-09-30x"}) {
    std::string why;
    EXPECT_FALSE(resolve_date_spec(bad, 2024, &why)) << bad;
    // The reason quotes what was given (or names the month that does not exist).
    const std::string quoted = std::string("\"") + bad + "\"";
    EXPECT_NE(why.find(std::string(bad) == "{year}-13-01" ? "has no month 13" : quoted),
              std::string::npos)
        << bad << ": " << why;
  }
}

TEST(Calendar, ChengjiangPublicityAndDataMatchingOverlap) {
  const auto p = example("001-chengjiang-2021.json");
  EXPECT_EQ(phase_names_on(p->campaign, d(2021, 4, 1)),
            (std::vector<std::string>{"宣传发动", "数据比对"}));
  EXPECT_EQ(phase_names_on(p->campaign, d(2021, 5, 31)),
            (std::vector<std::string>{"宣传发动", "数据比对"}));
  EXPECT_EQ(phase_names_on(p->campaign, d(2021, 6, 1)), (std::vector<std::string>{"参保缴费"}));
  EXPECT_EQ(phase_names_on(p->campaign, d(2021, 12, 31)), (std::vector<std::string>{"总结验收"}));
  EXPECT_TRUE(phase_names_on(p->campaign, d(2021, 3, 17)).empty());
  EXPECT_TRUE(phase_names_on(p->campaign, d(2022, 1, 1)).empty());
}

TEST(Calendar, ChengjiangReportsAreDueOnTheSecondFromMayToDecember) {
  // 001 五(三): 2021年5月—12月期间,于每月2日前将截至上月末工作进展情况...报至
  const auto p = example("001-chengjiang-2021.json");
  const auto deadlines = canbao::reporting_deadlines(p->campaign);
  ASSERT_EQ(deadlines.size(), 8u);
  EXPECT_EQ(deadlines.front().due, d(2021, 5, 2));
  EXPECT_EQ(deadlines.front().covers_until, d(2021, 4, 30));
  EXPECT_EQ(deadlines[1].due, d(2021, 6, 2));
  EXPECT_EQ(deadlines[1].covers_until, d(2021, 5, 31));
  EXPECT_EQ(deadlines.back().due, d(2021, 12, 2));
  EXPECT_EQ(deadlines.back().covers_until, d(2021, 11, 30));
}

TEST(Calendar, NextReportingDeadlineIsInclusiveOfTheDueDay) {
  const auto p = example("001-chengjiang-2021.json");
  EXPECT_EQ(canbao::next_reporting_deadline(p->campaign, d(2021, 1, 1))->due, d(2021, 5, 2));
  EXPECT_EQ(canbao::next_reporting_deadline(p->campaign, d(2021, 6, 2))->due, d(2021, 6, 2));
  EXPECT_EQ(canbao::next_reporting_deadline(p->campaign, d(2021, 6, 3))->due, d(2021, 7, 2));
  EXPECT_FALSE(canbao::next_reporting_deadline(p->campaign, d(2021, 12, 3)));
}

TEST(Calendar, ReportingCoversDecemberOfThePreviousYearForAJanuaryDeadline) {
  canbao::Campaign c;
  c.year = 2024;
  c.reporting = canbao::ReportingCadence{1, 2, 5, ""};
  const auto deadlines = canbao::reporting_deadlines(c);
  ASSERT_EQ(deadlines.size(), 2u);
  EXPECT_EQ(deadlines[0].covers_until, d(2023, 12, 31));
  EXPECT_EQ(deadlines[1].covers_until, d(2024, 1, 31));
}

TEST(Calendar, CampaignWithoutReportingHasNoDeadlines) {
  canbao::Campaign c;
  c.year = 2024;
  EXPECT_TRUE(canbao::reporting_deadlines(c).empty());
  EXPECT_FALSE(canbao::next_reporting_deadline(c, d(2024, 1, 1)));
}

TEST(Calendar, HuangshanTemplateEndsOnTheLastDayOfFebruaryOfTheNextYear) {
  // 002: 总结考核 ends "20xx年2月29日" of the next year; written {year+1}-02-last.
  // The plan's own year is 2011 (it cites 皖政〔2011〕77号; 2012-02-29 exists).
  const auto p2011 = example("002-huangshan-template.json");
  ASSERT_EQ(p2011->campaign.year, 2011);
  EXPECT_EQ(p2011->campaign.phases.back().end.date, d(2012, 2, 29));
  const auto p2024 = canbao::instantiate_for_year(*p2011, 2024);
  EXPECT_EQ(p2024->campaign.phases.back().end.date, d(2025, 2, 28));
  EXPECT_EQ(p2024->campaign.phases.front().start.date, d(2024, 9, 1));
  // 全面实施 crosses the year end.
  EXPECT_EQ(phase_names_on(p2011->campaign, d(2012, 1, 20)),
            (std::vector<std::string>{"全面实施"}));
  EXPECT_EQ(phase_names_on(p2011->campaign, d(2012, 1, 21)),
            (std::vector<std::string>{"总结考核"}));
}

TEST(Calendar, HuangshanSegmentMilestonesResolveAgainstTheYear) {
  const auto p = example("002-huangshan-template.json");
  ASSERT_EQ(p->milestones.size(), 4u);
  EXPECT_EQ(p->milestones[1].due.date, d(2012, 2, 20));
  EXPECT_EQ(p->milestones[1].condition.threshold, canbao::Ratio(7, 10));
  EXPECT_EQ(p->metrics[static_cast<std::size_t>(p->milestones[1].condition.metric_index())].segment,
            "城镇45岁以上居民");
  const auto& xiuning = p->milestones[3];
  EXPECT_EQ(xiuning.due.date, d(2011, 12, 31));
  EXPECT_EQ(xiuning.condition.threshold, canbao::Ratio(9, 10));
  ASSERT_EQ(xiuning.scope.unit_indices().size(), 1u);
  EXPECT_EQ(p->units.units[static_cast<std::size_t>(xiuning.scope.unit_indices()[0])].name,
            "休宁县");
}

TEST(Calendar, LiteralFebruaryTwentyNinthInAPolicyNamesThePhaseEnd) {
  std::ifstream in(std::string(CANBAO_SOURCE_DIR) +
                   "/examples/policies/002-huangshan-template.json");
  nlohmann::json doc = nlohmann::json::parse(in);
  doc["campaign"]["phases"][3]["end"] = "2023-02-29";
  try {
    canbao::load_policy(doc.dump());
    FAIL() << "2023-02-29 accepted";
  } catch (const canbao::PolicyError& e) {
    EXPECT_EQ(e.where(), "campaign.phases[3].end");
    EXPECT_EQ(e.message(), "2023-02-29 is not a date (2023 is not a leap year)");
  }
  // A template that only works in leap years fails for the other years.
  doc["campaign"]["phases"][3]["end"] = "{year+1}-02-29";
  doc["campaign"]["year"] = 2024;
  try {
    canbao::load_policy(doc.dump());  // year 2024 -> 2025-02-29
    FAIL() << "2025-02-29 accepted";
  } catch (const canbao::PolicyError& e) {
    EXPECT_EQ(e.where(), "campaign.phases[3].end");
  }
  doc["campaign"]["year"] = 2023;
  EXPECT_EQ(canbao::load_policy(doc.dump())->campaign.phases[3].end.date, d(2024, 2, 29));
}

TEST(Calendar, HengyangSecondAndThirdWavesShareSeptemberFifteenth) {
  // 003: 第二次 08-01..09-15, 第三次 09-15..11-30.
  const auto p = example("003-hengyang.json");
  EXPECT_EQ(phase_names_on(p->campaign, d(2008, 9, 15)),
            (std::vector<std::string>{"专项行动", "第二次专项扩面行动", "第三次专项扩面行动"}));
  EXPECT_EQ(phase_names_on(p->campaign, d(2008, 9, 16)),
            (std::vector<std::string>{"专项行动", "第三次专项扩面行动"}));
  EXPECT_EQ(phase_names_on(p->campaign, d(2008, 7, 31)), (std::vector<std::string>{"专项行动"}));
}

TEST(Calendar, HengyangAwardsPhaseCrossesIntoTheNextYear) {
  // 003: 总结表彰 12-01..03-30 of the next year.
  const auto p = example("003-hengyang.json");
  EXPECT_EQ(phase_names_on(p->campaign, d(2009, 1, 15)), (std::vector<std::string>{"总结表彰"}));
  EXPECT_EQ(phase_names_on(p->campaign, d(2009, 3, 30)), (std::vector<std::string>{"总结表彰"}));
  EXPECT_TRUE(phase_names_on(p->campaign, d(2009, 3, 31)).empty());
  EXPECT_EQ(phase_names_on(p->campaign, d(2008, 12, 1)),
            (std::vector<std::string>{"专项行动", "总结表彰"}));
}

TEST(Calendar, HengyangTaskIsAllocatedOverCounties) {
  const auto p = example("003-hengyang.json");
  const int m = p->metric_index("expansion_enrolled");
  std::int64_t sum = 0;
  for (int c : p->units.units[0].children()) {
    const auto* t = p->units.units[static_cast<std::size_t>(c)].target(m);
    ASSERT_NE(t, nullptr);
    sum += t->value.num;
  }
  EXPECT_EQ(sum, 76000);
  ASSERT_TRUE(p->scoring);
  EXPECT_TRUE(p->scoring->awards_require_targets_met);
}
