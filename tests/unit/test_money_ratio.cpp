#include <canbao/error.hpp>
#include <canbao/money.hpp>
#include <canbao/ratio.hpp>

#include <cstdint>
#include <limits>
#include <string>

#include <gtest/gtest.h>

using canbao::Fen;
using canbao::Ratio;

TEST(Money, WorkFundTiersAreWholeFen) {
  // 000 五(一): 1 yuan, 0.8 yuan, 0.6 yuan per insured person.
  Fen f;
  ASSERT_TRUE(canbao::parse_yuan("1", &f));
  EXPECT_EQ(f, Fen(100));
  ASSERT_TRUE(canbao::parse_yuan("0.8", &f));
  EXPECT_EQ(f, Fen(80));
  ASSERT_TRUE(canbao::parse_yuan("0.6", &f));
  EXPECT_EQ(f, Fen(60));
  ASSERT_TRUE(canbao::parse_yuan("1234.50", &f));
  EXPECT_EQ(f, Fen(123450));
}

TEST(Money, MoreThanTwoDecimalsOrGarbageIsRejected) {
  Fen f;
  std::string why;
  EXPECT_FALSE(canbao::parse_yuan("0.805", &f, &why));
  EXPECT_EQ(why, "amount \"0.805\" has more than two decimals (fen)");
  EXPECT_FALSE(canbao::parse_yuan("", &f));
  EXPECT_FALSE(canbao::parse_yuan("1,5", &f));
  EXPECT_FALSE(canbao::parse_yuan("abc", &f));
}

TEST(Money, YuanStringHasExactlyTwoDecimals) {
  EXPECT_EQ(Fen(123450).yuan_string(), "1234.50");
  EXPECT_EQ(Fen(-5).yuan_string(), "-0.05");
  EXPECT_EQ(Fen(0).yuan_string(), "0.00");
}

TEST(Money, VillagePayoutIsRateTimesPersons) {
  // 000: a village of 1,234 insured finishing by the second deadline gets 0.8 yuan each.
  EXPECT_EQ(Fen(80) * 1234, Fen(98720));
  EXPECT_EQ(Fen(100) + Fen(80), Fen(180));
  EXPECT_EQ(Fen(100) - Fen(80), Fen(20));
}

TEST(Money, OverflowIsAnErrorNeverAWrap) {
  const Fen max(std::numeric_limits<std::int64_t>::max());
  EXPECT_THROW(max + Fen(1), canbao::OverflowError);
  EXPECT_THROW(Fen(std::numeric_limits<std::int64_t>::min()) - Fen(1), canbao::OverflowError);
  EXPECT_THROW(Fen(100) * (std::numeric_limits<std::int64_t>::max() / 10), canbao::OverflowError);
  EXPECT_THROW(max - Fen(-1), canbao::OverflowError);
  EXPECT_THROW(Fen(std::numeric_limits<std::int64_t>::min()) + Fen(-1), canbao::OverflowError);
  EXPECT_THROW(Fen(-100) * (std::numeric_limits<std::int64_t>::max() / 10), canbao::OverflowError);
  // Right at the limits nothing overflows.
  EXPECT_EQ(max + Fen(0), max);
  EXPECT_EQ(max - Fen(1) + Fen(1), max);
  EXPECT_EQ(Fen(std::numeric_limits<std::int64_t>::min()) + Fen(1) - Fen(1),
            Fen(std::numeric_limits<std::int64_t>::min()));
  EXPECT_EQ(Fen(-1) * std::numeric_limits<std::int64_t>::max(),
            Fen(-std::numeric_limits<std::int64_t>::max()));
}

TEST(Ratio, PercentagesAndDecimalsParseExactly) {
  Ratio r;
  ASSERT_TRUE(canbao::parse_ratio("90%", &r));
  EXPECT_EQ(r, Ratio(9, 10));
  ASSERT_TRUE(canbao::parse_ratio("62.5%", &r));
  EXPECT_EQ(r, Ratio(5, 8));
  ASSERT_TRUE(canbao::parse_ratio("0.9", &r));
  EXPECT_EQ(r, Ratio(9, 10));
  ASSERT_TRUE(canbao::parse_ratio("330", &r));
  EXPECT_EQ(r, Ratio(330));
  ASSERT_TRUE(canbao::parse_ratio("-5", &r));
  EXPECT_EQ(r, Ratio(-5));
}

TEST(Ratio, MalformedOrTooLongNumbersAreRejectedWithReason) {
  Ratio r;
  std::string why;
  EXPECT_FALSE(canbao::parse_ratio("9o%", &r, &why));
  EXPECT_NE(why.find("9o%"), std::string::npos);
  EXPECT_FALSE(canbao::parse_ratio("", &r));
  EXPECT_FALSE(canbao::parse_ratio("%", &r));
  EXPECT_FALSE(canbao::parse_ratio("1.2.3", &r));
  EXPECT_FALSE(canbao::parse_ratio("99999999999999999999", &r, &why));
  EXPECT_NE(why.find("too many digits"), std::string::npos);
}

TEST(Ratio, ComparisonIsExactWhereDoublesAreNot) {
  // 0.1 + 0.2 != 0.3 in doubles; 3/10 == 30/100 exactly.
  EXPECT_EQ(Ratio(3, 10), Ratio(30, 100));
  EXPECT_LT(Ratio(899999999, 1000000000), Ratio(9, 10));
  // 90% threshold: 1799 of 1999 insured is 89.99..%, below.
  EXPECT_FALSE(canbao::holds(Ratio(1799, 1999), canbao::Comparison::ge, Ratio(9, 10)));
  EXPECT_TRUE(canbao::holds(Ratio(1800, 2000), canbao::Comparison::ge, Ratio(9, 10)));
  // Cross products near int64 limits stay exact in 128 bits.
  const std::int64_t big = std::numeric_limits<std::int64_t>::max();
  EXPECT_LT(Ratio(big - 1, big), Ratio(1));
}

TEST(Ratio, ComparisonIsExactAtTheInt64Limits) {
  // Cross products reach 2^126: these differ in the last unit, where a double
  // (or a 64-bit product) cannot tell them apart.
  const std::int64_t max = INT64_MAX;
  EXPECT_GT(Ratio(max, 3), Ratio(max - 1, 3));
  EXPECT_EQ(compare(Ratio(max, 3), Ratio(max - 1, 3)), 1);
  EXPECT_EQ(compare(Ratio(max - 1, 3), Ratio(max, 3)), -1);
  EXPECT_EQ(Ratio(max, max), Ratio(1));
  // (max-1)/max vs (max-2)/(max-1): (max-1)^2 is one more than max*(max-2).
  EXPECT_GT(Ratio(max - 1, max), Ratio(max - 2, max - 1));
  // Negative values, down to INT64_MIN.
  EXPECT_LT(Ratio(-max, 3), Ratio(-(max - 1), 3));
  EXPECT_LT(Ratio(INT64_MIN, 1), Ratio(-max, 1));
  EXPECT_LT(Ratio(INT64_MIN, max), Ratio(-1));
  // INT64_MIN*(max-1) is one more than -max*max.
  EXPECT_GT(Ratio(INT64_MIN, max), Ratio(-max, max - 1));
  EXPECT_EQ(compare(Ratio(INT64_MIN, 1), Ratio(INT64_MIN, 1)), 0);
  EXPECT_TRUE(canbao::holds(Ratio(INT64_MIN, max), canbao::Comparison::gt, Ratio(-max, max - 1)));
  EXPECT_FALSE(canbao::holds(Ratio(max - 1, 3), canbao::Comparison::ge, Ratio(max, 3)));
  EXPECT_TRUE(canbao::holds(Ratio(2 * (max / 2), max - 1), canbao::Comparison::eq, Ratio(1)));
}

TEST(Ratio, NegativeDenominatorIsNormalised) {
  const Ratio r(3, -4);
  EXPECT_EQ(r.num, -3);
  EXPECT_EQ(r.den, 4);
}

TEST(Ratio, TextFormsRoundHalfAwayFromZero) {
  EXPECT_EQ(Ratio(925, 1000).percent_string(), "92.5%");
  EXPECT_EQ(Ratio(2, 3).percent_string(), "66.67%");
  EXPECT_EQ(Ratio(1, 3).decimal_string(), "0.333333");
  EXPECT_EQ(Ratio(330).decimal_string(), "330");
  EXPECT_EQ(Ratio(12, 10).decimal_string(), "1.2");
  EXPECT_EQ(Ratio(-1, 8).decimal_string(2), "-0.13");
}

TEST(Ratio, ComparisonSymbolsRoundTrip) {
  for (auto c : {canbao::Comparison::ge, canbao::Comparison::gt, canbao::Comparison::le,
                 canbao::Comparison::lt, canbao::Comparison::eq}) {
    canbao::Comparison back;
    ASSERT_TRUE(canbao::parse_comparison(canbao::comparison_symbol(c), &back));
    EXPECT_EQ(back, c);
  }
  canbao::Comparison c;
  EXPECT_FALSE(canbao::parse_comparison("=>", &c));
}

TEST(Ratio, ReducingTheMostNegativeNumeratorDoesNotOverflow) {
  // A policy may write "min_score": -9223372036854775808 (UBSan found -num here).
  EXPECT_EQ(Ratio(INT64_MIN, 1).reduced(), Ratio(INT64_MIN, 1));
  const Ratio r = Ratio(INT64_MIN, 4).reduced();
  EXPECT_EQ(r.num, INT64_MIN / 4);
  EXPECT_EQ(r.den, 1);
  EXPECT_EQ(Ratio(-6, 4).reduced().num, -3);
  EXPECT_EQ(Ratio(-6, 4).reduced().den, 2);
}
