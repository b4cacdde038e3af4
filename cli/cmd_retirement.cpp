// `canbao retirement`: statutory retirement age, month and flexible window
// under the 2024-09-13 NPC Standing Committee decision (in force 2025-01-01).
#include <cctype>
#include <cstdio>
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include <canbao/error.hpp>
#include <canbao/retirement.hpp>
#include <canbao/sex.hpp>

#include "command.hpp"

namespace {

using canbao::ArgumentError;
using canbao::YearMonth;
using canbao::YearsMonths;

const char* kUsage =
    "usage: canbao retirement --sex male|female --birth YYYY-MM [--original-age 60|55|50]\n"
    "                         [--format text|json]\n"
    "\n"
    "Statutory retirement under the NPC Standing Committee decision of 2024-09-13\n"
    "(实施渐进式延迟法定退休年龄, in force 2025-01-01): men 60 -> 63 and women 55 -> 58,\n"
    "one month later per four months of birth from births in 1965-01 / 1970-01;\n"
    "women 50 -> 55, one month per two months from births in 1975-01. Only the birth\n"
    "month matters.\n"
    "\n"
    "  --sex             male or female (男 / 女 also accepted)\n"
    "  --birth           birth month, YYYY-MM (year 1900..2200)\n"
    "  --original-age    original statutory age: 60 for men; 55 (default) or 50 for women\n"
    "  --format          text (default) or json\n"
    "\n"
    "Prints the statutory age, the retirement month (birth month + age, as in the\n"
    "official tables), the retirement date (first day of the following month, when\n"
    "everyone born in that month has reached the age), the delay, the minimum\n"
    "contribution for a monthly pension in the retirement year, and the flexible\n"
    "window (up to 3 years earlier but never below the original age, with the\n"
    "minimum contribution; up to 3 years later by agreement with the employer).\n"
    "\n"
    "example: canbao retirement --sex male --birth 1965-01\n";

std::string month_text(YearMonth m) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d", m.year, m.month);
  return buf;
}

std::string age_text(YearsMonths a) {
  std::string s = std::to_string(a.years) + (a.years == 1 ? " year " : " years ");
  s += std::to_string(a.months) + (a.months == 1 ? " month" : " months");
  return s;
}

YearMonth parse_birth(const std::string& text) {
  const bool shape = text.size() == 7 && text[4] == '-';
  bool digits = shape;
  for (std::size_t i = 0; shape && i < 7; ++i) {
    if (i != 4 && !std::isdigit(static_cast<unsigned char>(text[i]))) digits = false;
  }
  if (!digits)
    throw ArgumentError("--birth", "expected a birth month as YYYY-MM, got \"" + text + "\"");
  const YearMonth m{std::stoi(text.substr(0, 4)), std::stoi(text.substr(5, 2))};
  if (m.month < 1 || m.month > 12) {
    throw ArgumentError("--birth", "month must be 01..12, got \"" + text + "\"");
  }
  return m;
}

int parse_original_age(const std::string& text) {
  if (text == "60") return 60;
  if (text == "55") return 55;
  if (text == "50") return 50;
  throw ArgumentError("--original-age", "expected 60, 55 or 50, got \"" + text + "\"");
}

nlohmann::ordered_json age_json(YearsMonths a) {
  nlohmann::ordered_json j;
  j["years"] = a.years;
  j["months"] = a.months;
  return j;
}

int run(const std::vector<std::string>& argv, std::ostream& out, std::ostream&) {
  const canbao::cli::Args args(argv, {"--sex", "--birth", "--original-age", "--format"}, {});
  if (!args.positional().empty()) {
    throw ArgumentError(args.positional().front(), "unexpected argument (see --help)");
  }
  canbao::Sex sex;
  const std::string sex_text = args.required("--sex");
  if (!canbao::parse_sex(sex_text, &sex)) {
    throw ArgumentError("--sex", "expected male or female, got \"" + sex_text + "\"");
  }
  const YearMonth birth = parse_birth(args.required("--birth"));
  const auto original_text = args.value("--original-age");
  const int original = original_text ? parse_original_age(*original_text)
                                     : canbao::default_original_retirement_age(sex);
  const std::string format = args.value("--format").value_or("text");
  if (format != "text" && format != "json") {
    throw ArgumentError("--format", "expected text or json, got \"" + format + "\"");
  }

  canbao::RetirementSchedule s;
  try {
    s = canbao::statutory_retirement(sex, birth, original);
  } catch (const ArgumentError& e) {
    // Name the command-line option, not the library argument.
    const std::string& w = e.where();
    throw ArgumentError(w == "original_age"  ? "--original-age"
                        : w == "birth_month" ? "--birth"
                                             : w,
                        e.message());
  }
  const YearsMonths minimum = YearsMonths::from_months(s.minimum_contribution_months);

  if (format == "json") {
    nlohmann::ordered_json j;
    j["sex"] = canbao::sex_name(s.sex);
    j["birth_month"] = month_text(s.birth_month);
    j["original_age_years"] = s.original_age_years;
    j["statutory_age"] = age_json(s.statutory_age);
    j["statutory_age_months"] = s.statutory_age.total_months();
    j["delay_months"] = s.delay_months;
    j["retirement_month"] = month_text(s.retirement_month);
    j["retirement_date"] = s.retirement_date.iso();
    j["minimum_contribution"] = age_json(minimum);
    j["minimum_contribution_months"] = s.minimum_contribution_months;
    j["flexible_earliest"] = {{"age", age_json(s.earliest_age)},
                              {"month", month_text(s.earliest_month)}};
    j["flexible_latest"] = {{"age", age_json(s.latest_age)}, {"month", month_text(s.latest_month)}};
    j["source"] =
        "NPC Standing Committee decision of 2024-09-13 on gradually raising the statutory "
        "retirement age, in force 2025-01-01";
    out << j.dump(2) << "\n";
    return 0;
  }
  out << "sex:                  " << canbao::sex_name(s.sex) << "\n"
      << "birth month:          " << month_text(s.birth_month) << "\n"
      << "original age:         " << s.original_age_years << " years\n"
      << "statutory age:        " << age_text(s.statutory_age) << "\n"
      << "delay:                " << s.delay_months << (s.delay_months == 1 ? " month" : " months")
      << "\n"
      << "retirement month:     " << month_text(s.retirement_month)
      << " (birth month + statutory age)\n"
      << "retirement date:      " << s.retirement_date.iso()
      << " (first day of the next month: everyone born in " << month_text(s.birth_month)
      << " has reached the age)\n"
      << "minimum contribution: " << age_text(minimum) << " (" << s.minimum_contribution_months
      << " months, rule for " << s.retirement_month.year << ")\n"
      << "flexible earliest:    " << age_text(s.earliest_age) << " ("
      << month_text(s.earliest_month)
      << "; needs the minimum contribution; never below the original age)\n"
      << "flexible latest:      " << age_text(s.latest_age) << " (" << month_text(s.latest_month)
      << "; by agreement with the employer)\n"
      << "source:               NPC Standing Committee decision of 2024-09-13, in force "
         "2025-01-01\n";
  return 0;
}

}  // namespace

CANBAO_REGISTER_COMMAND(canbao::cli::Command{
    "retirement", "statutory retirement age, month and flexible window (2025 reform)", kUsage,
    run});
