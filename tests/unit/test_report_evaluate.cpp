// make_report's evaluation done the fast way (issue 15): orders sorted as
// indices and put in place (detail/permute.hpp), the projections computed with
// the report's own work fund, and the action list walked with cursors. Each
// checked against the plain definition on seed 000 (XX town, 2021) through
// the year, so a shortcut cannot drift from what the parts say on their own.
#include <canbao/report.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <canbao/projection.hpp>

#include "detail/permute.hpp"
#include "source_files.hpp"

namespace canbao {
namespace {

using canbao_test::XxTown;

TEST(ApplyOrder, PutsEachElementWhereTheOrderSays) {
  // Two cycles (0 2 4) and (1 3) and a fixed point (5), move-only elements.
  std::vector<std::unique_ptr<int>> v;
  for (int i = 0; i < 6; ++i) v.push_back(std::make_unique<int>(i * 10));
  std::vector<std::uint32_t> order = {2, 3, 4, 1, 0, 5};
  detail::apply_order(v, order);
  std::vector<int> got;
  for (const auto& p : v) got.push_back(*p);
  EXPECT_EQ(got, (std::vector<int>{20, 30, 40, 10, 0, 50}));
}

TEST(ApplyOrder, EmptyAndIdentity) {
  std::vector<std::string> none;
  std::vector<std::uint32_t> no_order;
  detail::apply_order(none, no_order);
  EXPECT_TRUE(none.empty());
  std::vector<std::string> v = {"a long string that is not inline", "b", "c"};
  std::vector<std::uint32_t> order = {0, 1, 2};
  detail::apply_order(v, order);
  EXPECT_EQ(v, (std::vector<std::string>{"a long string that is not inline", "b", "c"}));
}

TEST(ApplyOrder, ReversesALongVector) {
  std::vector<std::string> v;
  std::vector<std::uint32_t> order;
  for (std::uint32_t i = 0; i < 1000; ++i) {
    v.push_back("unit number " + std::to_string(i));
    order.push_back(999 - i);
  }
  detail::apply_order(v, order);
  for (std::uint32_t i = 0; i < 1000; ++i)
    EXPECT_EQ(v[i], "unit number " + std::to_string(999 - i));
}

std::vector<std::string> days_of_2021() {
  std::vector<std::string> out;
  for (const char* d : {"2021-05-31", "2021-06-15", "2021-06-30", "2021-07-20", "2021-08-31",
                        "2021-09-15", "2021-09-30", "2021-10-10", "2021-10-15", "2021-11-20",
                        "2021-11-30", "2021-12-31", "2022-03-01"})
    out.push_back(d);
  return out;
}

// The report's projections are those project_campaign gives on its own (which
// evaluates the work fund itself).
TEST(ReportEvaluate, ProjectionsEqualProjectCampaignThroughTheYear) {
  const XxTown ex;
  for (const std::string& d : days_of_2021()) {
    SCOPED_TRACE(d);
    const CampaignReport r = ex.report(d.c_str());
    const ProjectionReport p = project_campaign(ex.progress, canbao_test::day(d.c_str()));
    ASSERT_TRUE(r.projections.has_value());
    ASSERT_EQ(r.projections->milestones.size(), p.milestones.size());
    ASSERT_EQ(r.projections->work_fund.has_value(), p.work_fund.has_value());
    if (!p.work_fund) continue;
    const WorkFundProjection& a = *r.projections->work_fund;
    const WorkFundProjection& b = *p.work_fund;
    EXPECT_EQ(a.total, b.total);
    EXPECT_EQ(a.actual_total, b.actual_total);
    EXPECT_EQ(a.projected_total, b.projected_total);
    EXPECT_EQ(a.unknown, b.unknown);
    EXPECT_EQ(a.payer, b.payer);
    ASSERT_EQ(a.units.size(), b.units.size());
    for (std::size_t i = 0; i < a.units.size(); ++i) {
      EXPECT_EQ(a.units[i].unit_id, b.units[i].unit_id);
      EXPECT_EQ(a.units[i].kind, b.units[i].kind);
      EXPECT_EQ(a.units[i].status, b.units[i].status);
      EXPECT_EQ(a.units[i].tier, b.units[i].tier);
      EXPECT_EQ(a.units[i].completed_on, b.units[i].completed_on);
      EXPECT_EQ(a.units[i].basis, b.units[i].basis);
      EXPECT_EQ(a.units[i].amount, b.units[i].amount);
      EXPECT_EQ(a.units[i].reason, b.units[i].reason);
    }
  }
}

// The ranking's listing order and competition ranks, by the definition.
TEST(ReportEvaluate, RankingOrderAndRanksThroughTheYear) {
  const XxTown ex;
  for (const std::string& d : days_of_2021()) {
    SCOPED_TRACE(d);
    const CampaignReport r = ex.report(d.c_str());
    ASSERT_TRUE(r.ranking.has_value());
    const std::vector<UnitScore>& u = r.ranking->units;
    ASSERT_FALSE(u.empty());
    EXPECT_EQ(u.front().rank, 1);
    for (std::size_t i = 1; i < u.size(); ++i) {
      EXPECT_GE(u[i - 1].total_micro_points, u[i].total_micro_points);
      // Competition ranking: equal to the previous one's, or its position.
      EXPECT_TRUE(u[i].rank == u[i - 1].rank || u[i].rank == static_cast<int>(i) + 1);
      if (u[i].rank == u[i - 1].rank) {
        EXPECT_LT(u[i - 1].unit, u[i].unit);
      }
    }
  }
}

// The action list: every unit with a target once, worst first by standing,
// then completion ascending (none last), then policy order; a complete unit
// gives no reason, a late one at least one.
TEST(ReportEvaluate, ActionOrderAndReasonsThroughTheYear) {
  const XxTown ex;
  std::size_t with_targets = 0;
  for (const Unit& unit : ex.policy->units.units) with_targets += unit.targets.empty() ? 0 : 1;
  for (const std::string& d : days_of_2021()) {
    SCOPED_TRACE(d);
    const CampaignReport r = ex.report(d.c_str());
    const std::vector<UnitAction>& u = r.action.units;
    ASSERT_EQ(u.size(), with_targets);
    for (std::size_t i = 0; i < u.size(); ++i) {
      if (u[i].standing == UnitStanding::complete) {
        EXPECT_TRUE(u[i].reasons.empty());
      }
      if (u[i].standing == UnitStanding::late) {
        EXPECT_FALSE(u[i].reasons.empty());
      }
      if (i == 0) continue;
      const UnitAction& x = u[i - 1];
      const UnitAction& y = u[i];
      ASSERT_LE(static_cast<int>(x.standing), static_cast<int>(y.standing));
      if (x.standing != y.standing) continue;
      ASSERT_TRUE(x.completion.has_value() || !y.completion.has_value());
      if (x.completion && y.completion && *x.completion != *y.completion) {
        EXPECT_LT(*x.completion, *y.completion);
      } else if (x.completion.has_value() == y.completion.has_value()) {
        EXPECT_LT(x.unit, y.unit);
      }
    }
  }
}

}  // namespace
}  // namespace canbao
