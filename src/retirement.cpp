// Statutory retirement: 全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的
// 决定 (2024-09-13) and 国务院关于渐进式延迟法定退休年龄的办法, in force 2025-01-01.
// The arithmetic is in retirement.hpp (statutory_retirement_age_months) so the
// batch path and this one cannot disagree.
#include <canbao/retirement.hpp>

#include <algorithm>
#include <string>

#include <canbao/error.hpp>

namespace canbao {

int minimum_contribution_months(int year) {
  if (year < 1 || year > 9999) {
    throw ArgumentError("year", "must be between 1 and 9999, got " + std::to_string(year));
  }
  // 办法 第二条 / 附件: 15 years until 2029-12-31, then +6 months per year.
  if (year < 2030) return 180;
  return std::min(240, 180 + 6 * (year - 2029));
}

RetirementSchedule statutory_retirement(Sex sex, YearMonth birth_month, int original_age_years) {
  if (birth_month.month < 1 || birth_month.month > 12) {
    throw ArgumentError("birth_month",
                        "month must be 1..12, got " + std::to_string(birth_month.month));
  }
  // The supported date range (date.hpp) bounds the birth years we evaluate.
  const int first_year = supported_dates().first.year(), last_year = supported_dates().last.year();
  if (birth_month.year < first_year || birth_month.year > last_year) {
    throw ArgumentError("birth_month", "year must be between " + std::to_string(first_year) +
                                           " and " + std::to_string(last_year) + ", got " +
                                           std::to_string(birth_month.year));
  }
  const int age = statutory_retirement_age_months(sex, original_age_years, birth_month.index());
  if (age < 0) {
    throw ArgumentError("original_age",
                        std::string("must be 60 for men, 55 or 50 for women; got ") +
                            std::to_string(original_age_years) + " for sex " + sex_name(sex));
  }
  const int birth = birth_month.index();
  const int original = original_age_years * 12;

  RetirementSchedule s;
  s.sex = sex;
  s.original_age_years = original_age_years;
  s.birth_month = birth_month;
  s.statutory_age = YearsMonths::from_months(age);
  s.delay_months = age - original;
  s.retirement_month = YearMonth::from_index(birth + age);
  const YearMonth after = YearMonth::from_index(birth + age + 1);
  s.retirement_date = *Date::from_ymd(after.year, after.month, 1);
  s.minimum_contribution_months = minimum_contribution_months(s.retirement_month.year);
  // 办法 第二条 (决定 二): early by at most three years, never below the
  // original age; late by at most three years.
  const int earliest = std::max(original, age - 36);
  const int latest = age + 36;
  s.earliest_age = YearsMonths::from_months(earliest);
  s.earliest_month = YearMonth::from_index(birth + earliest);
  s.latest_age = YearsMonths::from_months(latest);
  s.latest_month = YearMonth::from_index(birth + latest);
  return s;
}

}  // namespace canbao
