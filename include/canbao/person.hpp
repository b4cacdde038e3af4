// A person's facts, as a recommendation table sees them: the built-in ones
// (sex, birth date, hukou, insurance status, employment kind, resident
// contribution grade and flags: 004 二's eight 扩面重点 groups are told apart
// by these) and the facts a policy declares (facts.hpp).
//
// The enum values are stable numbers: the batch API (batch.hpp), the C ABI and
// Python take them as plain integers. Never renumber; only append.
#pragma once

#include <canbao/export.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <canbao/date.hpp>
#include <canbao/facts.hpp>
#include <canbao/sex.hpp>

namespace canbao {

enum class InsuranceStatus : std::uint8_t {
  none = 0,                         // 未参保
  resident_paying = 1,              // 城乡居民养老保险，正常缴费
  resident_suspended = 2,           // 城乡居民养老保险，中断缴费
  employee_paying = 3,              // 职工养老保险，正常缴费
  employee_suspended = 4,           // 职工养老保险，中断缴费
  insured_elsewhere_suspended = 5,  // 004 二(七): 区外已参保且暂停缴费
  receiving_pension = 6,            // 已领取养老金
};
inline constexpr int kInsuranceStatusCount = 7;

enum class Employment : std::uint8_t {
  employer = 0,             // works for an employer (劳动合同)
  individual_business = 1,  // 004 二(一): 个体工商户
  platform_worker = 2,      // 004 二(三): 网约车、快递、外卖、货运
  licensed_freelancer = 3,  // 004 二(四): 导游、律师等持证自由职业者
  farmer = 4,
  student = 5,
  unemployed = 6,
  public_sector = 7,  // 004 二(二): 财政供养人员、镇街聘用人员
  other = 8,
};
inline constexpr int kEmploymentCount = 9;

// Flags are bits of a PersonFlags mask.
enum class PersonFlag : std::uint8_t {
  dibao = 1u << 0,               // 低保对象
  tekun = 1u << 1,               // 特困人员
  severe_disability = 1u << 2,   // 重度残疾人
  poverty_alleviated = 1u << 3,  // 脱贫人口
  land_expropriated = 1u << 4,   // 被征地人员
  village_cadre = 1u << 5,       // 村（社区）干部
};
using PersonFlags = std::uint8_t;
inline constexpr int kPersonFlagCount = 6;
inline constexpr PersonFlags kAllPersonFlags = 0x3F;
constexpr PersonFlags flag_bit(PersonFlag f) { return static_cast<PersonFlags>(f); }

struct Person {
  Sex sex = Sex::male;
  Date birth_date;
  bool hukou_local = false;  // 本区户籍
  InsuranceStatus insurance_status = InsuranceStatus::none;
  Employment employment = Employment::other;
  // Yearly resident contribution grade (缴费档次) in yuan; 0 when none.
  std::uint16_t resident_grade_yuan = 0;
  PersonFlags flags = 0;
  // The policy's declared facts (facts.hpp), by fact id, encoded. A fact the
  // policy declares with a default may be left out; an id it does not
  // declare is an error when evaluated.
  std::map<std::string, FactValue, std::less<>> facts;

  bool has(PersonFlag f) const { return (flags & flag_bit(f)) != 0; }
};

// Spellings used in JSON, CSV and the CLI ("resident_paying", "platform_worker",
// "dibao"). Parsers accept exactly these spellings and return nothing otherwise.
CANBAO_API const char* insurance_status_name(InsuranceStatus s) noexcept;
CANBAO_API std::optional<InsuranceStatus> parse_insurance_status(std::string_view text) noexcept;
CANBAO_API const char* employment_name(Employment e) noexcept;
CANBAO_API std::optional<Employment> parse_employment(std::string_view text) noexcept;
CANBAO_API const char* person_flag_name(PersonFlag f) noexcept;
CANBAO_API std::optional<PersonFlag> parse_person_flag(std::string_view text) noexcept;
// The i-th flag (0..kPersonFlagCount-1) in declaration order.
constexpr PersonFlag person_flag_at(int i) { return static_cast<PersonFlag>(1u << i); }

// "dibao;village_cadre" (declaration order, ';'-separated, "" for none).
CANBAO_API std::string person_flags_text(PersonFlags flags);

// Comma-separated lists of every spelling, for error messages.
CANBAO_API std::string insurance_status_names();
CANBAO_API std::string employment_names();
CANBAO_API std::string person_flag_names();

}  // namespace canbao
