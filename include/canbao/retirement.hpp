// Statutory retirement age under 全国人民代表大会常务委员会关于实施渐进式延迟法定
// 退休年龄的决定 (NPC Standing Committee decision of 2024-09-13, in force
// 2025-01-01) and its 办法 and tables (附件1 对照表, 附件2 最低缴费年限情况表).
// See docs/retirement.md for the text, the boundary table and the sources.
//
// Rule (办法 第一条): from 2025-01-01 the age of men (originally 60) and of women
// originally 55 is delayed by one month for every four months of birth, up to 63
// and 58; women originally 50 by one month for every two months, up to 55.
// Read with the tables: men born 1965-01..04 retire at 60y1m, 1965-05..08 at
// 60y2m, ...; 1976-09 and later at 63. Women 55: from 1970-01, capped from
// 1981-09. Women 50: from 1975-01, one month per two, capped (55) from 1984-11.
// Births before the first affected month keep the original age. Only the birth
// month matters.
#pragma once

#include <canbao/export.hpp>

#include <canbao/date.hpp>
#include <canbao/sex.hpp>

namespace canbao {

// A calendar month. index() = year * 12 + (month - 1), so consecutive months
// have consecutive indexes (1965-01 -> 23580, 1965-02 -> 23581).
struct CANBAO_API YearMonth {
  int year = 1970;
  int month = 1;  // 1..12
  constexpr int index() const { return year * 12 + (month - 1); }
  static constexpr YearMonth from_index(int index) { return YearMonth{index / 12, index % 12 + 1}; }
  friend constexpr bool operator==(YearMonth a, YearMonth b) { return a.index() == b.index(); }
  friend constexpr bool operator!=(YearMonth a, YearMonth b) { return a.index() != b.index(); }
  friend constexpr bool operator<(YearMonth a, YearMonth b) { return a.index() < b.index(); }
};

// An age or a span as whole years plus months (60 years 1 month).
struct CANBAO_API YearsMonths {
  int years = 0;
  int months = 0;  // 0..11
  constexpr int total_months() const { return years * 12 + months; }
  static constexpr YearsMonths from_months(int total) {
    return YearsMonths{total / 12, total % 12};
  }
  friend constexpr bool operator==(YearsMonths a, YearsMonths b) {
    return a.total_months() == b.total_months();
  }
  friend constexpr bool operator!=(YearsMonths a, YearsMonths b) { return !(a == b); }
};

// Men 60; women 55 (the default: 女干部 / the 55 category). Women workers whose
// original age is 50 must say so explicitly.
constexpr int default_original_retirement_age(Sex sex) noexcept {
  return sex == Sex::male ? 60 : 55;
}

// Batch fast path, no allocation: the statutory retirement age in months for a
// person of `sex` with original age `original_age_years` (men 60; women 55 or
// 50) born in the month with index `birth_month_index` (YearMonth::index()).
// Returns -1 when sex and original age do not form a valid category.
constexpr int statutory_retirement_age_months(Sex sex, int original_age_years,
                                              int birth_month_index) noexcept {
  int first_year = 0, months_per_step = 0, max_delay = 0;
  if (sex == Sex::male && original_age_years == 60) {
    first_year = 1965, months_per_step = 4, max_delay = 36;  // 60 -> 63
  } else if (sex == Sex::female && original_age_years == 55) {
    first_year = 1970, months_per_step = 4, max_delay = 36;  // 55 -> 58
  } else if (sex == Sex::female && original_age_years == 50) {
    first_year = 1975, months_per_step = 2, max_delay = 60;  // 50 -> 55
  } else {
    return -1;
  }
  const int since_first = birth_month_index - first_year * 12;  // months after <first_year>-01
  int delay = since_first < 0 ? 0 : since_first / months_per_step + 1;
  if (delay > max_delay) delay = max_delay;
  return original_age_years * 12 + delay;
}

// 办法 第二条 / 附件2: 15 years (180 months) through 2029; from 2030 six months
// more each year (2030: 186) until 20 years (240 months) in 2039 and later.
// `year` is the calendar year of retirement; years before 2025 get 180 too
// (社会保险法 第十六条: 累计缴费满十五年). ArgumentError outside 1..9999.
CANBAO_API int minimum_contribution_months(int year);

struct RetirementSchedule {
  Sex sex = Sex::male;
  int original_age_years = 60;
  YearMonth birth_month;
  YearsMonths statutory_age;  // 60 years 1 month
  int delay_months = 0;       // statutory age minus original age
  // The month in which the statutory age is reached: birth month + age. This is
  // the "改革后退休时间" column of 附件1 (born 1965-01, 60y1m -> 2025-02).
  YearMonth retirement_month;
  // The first day of the month after retirement_month: the first day on which
  // everyone born in birth_month has reached the statutory age (born 1965-01,
  // 60y1m -> 2025-03-01). A person-specific day needs the day of birth, which
  // the rule does not use.
  Date retirement_date;
  // minimum_contribution_months(retirement_month.year).
  int minimum_contribution_months = 180;
  // 办法 第二条 flexible retirement. Earliest: at most 3 years before the
  // statutory age, never below the original age, and only with the minimum
  // contribution years. Latest: at most 3 years after, by agreement with the
  // employer.
  YearsMonths earliest_age;
  YearMonth earliest_month;
  YearsMonths latest_age;
  YearMonth latest_month;
};

// Throws ArgumentError naming "sex", "original_age" or "birth_month" when the
// original age is not 60 (men) or 55/50 (women), or the month is not 1..12, or
// the birth year is outside 1900..2200.
CANBAO_API RetirementSchedule statutory_retirement(Sex sex, YearMonth birth_month, int original_age_years);
inline RetirementSchedule statutory_retirement(Sex sex, YearMonth birth_month) {
  return statutory_retirement(sex, birth_month, default_original_retirement_age(sex));
}

}  // namespace canbao
