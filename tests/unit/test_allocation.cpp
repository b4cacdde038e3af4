#include <canbao/allocation.hpp>
#include <canbao/error.hpp>

#include <cstdint>
#include <numeric>
#include <vector>

#include <gtest/gtest.h>

using canbao::allocate_largest_remainder;
using V = std::vector<std::int64_t>;

namespace {
std::int64_t sum(const V& v) { return std::accumulate(v.begin(), v.end(), std::int64_t{0}); }
}  // namespace

TEST(Allocation, ChengjiangConversionsOverTownEnrollmentSharesAddUpTo800) {
  // 001: 800 conversions split by the six towns' resident enrollment targets.
  const V bases{6550, 36000, 22050, 13550, 7950, 20700};
  const V shares = allocate_largest_remainder(800, bases);
  EXPECT_EQ(sum(shares), 800);
  // Quotas 49.06, 269.66, 165.17, 101.50, 59.55, 155.06: floors give 798, the two
  // largest remainders (0.66 龙街, 0.55 九村) get one more.
  EXPECT_EQ(shares, (V{49, 270, 165, 101, 60, 155}));
}

TEST(Allocation, EqualRemaindersGoToTheEarlierChild) {
  EXPECT_EQ(allocate_largest_remainder(1, V{1, 1}), (V{1, 0}));
  EXPECT_EQ(allocate_largest_remainder(2, V{1, 1, 1}), (V{1, 1, 0}));
  EXPECT_EQ(allocate_largest_remainder(5, V{2, 2, 2, 2}), (V{2, 1, 1, 1}));
}

TEST(Allocation, LargestRemainderWinsOverEarlierChild) {
  // 50 by 37, 25, 18, 12: quotas 20.11, 13.59, 9.78, 6.52 -> 20, 14, 10, 6.
  EXPECT_EQ(allocate_largest_remainder(50, V{37, 25, 18, 12}), (V{20, 14, 10, 6}));
}

TEST(Allocation, ZeroBasesWithZeroTargetGiveZeros) {
  EXPECT_EQ(allocate_largest_remainder(0, V{0, 0, 0}), (V{0, 0, 0}));
  EXPECT_EQ(allocate_largest_remainder(0, V{5, 3}), (V{0, 0}));
}

TEST(Allocation, ZeroBasesWithPositiveTargetIsAnError) {
  try {
    allocate_largest_remainder(10, V{0, 0});
    FAIL() << "expected ArgumentError";
  } catch (const canbao::ArgumentError& e) {
    EXPECT_EQ(e.where(), "bases");
    EXPECT_EQ(e.message(), "sum to 0, cannot allocate 10");
  }
  EXPECT_THROW(allocate_largest_remainder(1, V{}), canbao::ArgumentError);
}

TEST(Allocation, MinimumsAreHonouredAndTheRestIsResplit) {
  // 600 by 412, 286, 198, 143, 21 (004 example): 21/1060 x 600 = 11.9 < 20, so
  // the last village is fixed at 20 and 580 is split over the other four.
  const V shares =
      allocate_largest_remainder(600, V{412, 286, 198, 143, 21}, V{20, 20, 20, 20, 20});
  EXPECT_EQ(sum(shares), 600);
  EXPECT_EQ(shares[4], 20);
  // 580 by 412, 286, 198, 143: 229.98, 159.65, 110.53, 79.83 -> 230, 160, 110, 80.
  EXPECT_EQ(shares, (V{230, 160, 110, 80, 20}));
  for (auto s : shares) EXPECT_GE(s, 20);
}

TEST(Allocation, MinimumsCanCascade) {
  // Quotas 49.02, 39.22, 10.78, 0.98: only the last is below 10 and is fixed.
  // 90 over 50, 40, 11 gives the third 9.80 < 10, so it is fixed too; 80 over
  // 50, 40 gives 44.44, 35.56 -> 44, 36.
  const V shares = allocate_largest_remainder(100, V{50, 40, 11, 1}, V{10, 10, 10, 10});
  EXPECT_EQ(shares, (V{44, 36, 10, 10}));
}

TEST(Allocation, MinimumsSummingAboveTotalIsAnError) {
  EXPECT_THROW(allocate_largest_remainder(5, V{1, 1}, V{3, 3}), canbao::ArgumentError);
}

TEST(Allocation, NegativeInputsAndSizeMismatchAreErrors) {
  EXPECT_THROW(allocate_largest_remainder(-1, V{1}), canbao::ArgumentError);
  EXPECT_THROW(allocate_largest_remainder(1, V{1, -1}), canbao::ArgumentError);
  EXPECT_THROW(allocate_largest_remainder(1, V{1}, V{-1}), canbao::ArgumentError);
  EXPECT_THROW(allocate_largest_remainder(1, V{1, 1}, V{0}), canbao::ArgumentError);
}

TEST(Allocation, HugeTotalsAndBasesUse128BitIntermediates) {
  const std::int64_t big = INT64_MAX / 2;
  const V shares = allocate_largest_remainder(big, V{big, big, 1});
  EXPECT_EQ(sum(shares), big);
  // total x base is about 2^124: quotas are big/2 - 1/4 (twice) and about 1/2,
  // so the one leftover unit goes to the third child's larger remainder.
  EXPECT_EQ(shares, (V{big / 2, big / 2, 1}));
}

TEST(Allocation, SharesAlwaysAddUpAndStayWithinOneOfTheQuota) {
  std::uint64_t seed = 12345;
  auto next = [&] { return seed = seed * 6364136223846793005ULL + 1442695040888963407ULL; };
  for (int round = 0; round < 500; ++round) {
    const std::size_t n = 1 + next() % 12;
    V bases(n);
    std::int64_t base_sum = 0;
    for (auto& b : bases) base_sum += b = static_cast<std::int64_t>(next() % 1000);
    if (base_sum == 0) continue;
    const std::int64_t total = static_cast<std::int64_t>(next() % 100000);
    const V shares = allocate_largest_remainder(total, bases);
    ASSERT_EQ(sum(shares), total);
    for (std::size_t i = 0; i < n; ++i) {
      const long double quota = static_cast<long double>(total) * bases[i] / base_sum;
      ASSERT_LT(std::abs(static_cast<long double>(shares[i]) - quota), 1.0L);
    }
  }
}
