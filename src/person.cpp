#include <canbao/person.hpp>

namespace canbao {

namespace {
constexpr const char* kStatusNames[kInsuranceStatusCount] = {"none",
                                                             "resident_paying",
                                                             "resident_suspended",
                                                             "employee_paying",
                                                             "employee_suspended",
                                                             "insured_elsewhere_suspended",
                                                             "receiving_pension"};
constexpr const char* kEmploymentNames[kEmploymentCount] = {"employer",
                                                            "individual_business",
                                                            "platform_worker",
                                                            "licensed_freelancer",
                                                            "farmer",
                                                            "student",
                                                            "unemployed",
                                                            "public_sector",
                                                            "other"};
constexpr const char* kFlagNames[kPersonFlagCount] = {
    "dibao",        "tekun", "severe_disability", "poverty_alleviated", "land_expropriated",
    "village_cadre"};

template <std::size_t N>
int find_name(const char* const (&names)[N], std::string_view text) {
  for (std::size_t i = 0; i < N; ++i) {
    if (text == names[i]) return static_cast<int>(i);
  }
  return -1;
}

template <std::size_t N>
std::string join(const char* const (&names)[N]) {
  std::string out;
  for (std::size_t i = 0; i < N; ++i) out += (i ? ", " : "") + std::string(names[i]);
  return out;
}
}  // namespace

const char* insurance_status_name(InsuranceStatus s) noexcept {
  const int i = static_cast<int>(s);
  return i < kInsuranceStatusCount ? kStatusNames[i] : "?";
}
std::optional<InsuranceStatus> parse_insurance_status(std::string_view text) noexcept {
  const int i = find_name(kStatusNames, text);
  if (i < 0) return std::nullopt;
  return static_cast<InsuranceStatus>(i);
}
const char* employment_name(Employment e) noexcept {
  const int i = static_cast<int>(e);
  return i < kEmploymentCount ? kEmploymentNames[i] : "?";
}
std::optional<Employment> parse_employment(std::string_view text) noexcept {
  const int i = find_name(kEmploymentNames, text);
  if (i < 0) return std::nullopt;
  return static_cast<Employment>(i);
}
const char* person_flag_name(PersonFlag f) noexcept {
  for (int i = 0; i < kPersonFlagCount; ++i) {
    if (person_flag_at(i) == f) return kFlagNames[i];
  }
  return "?";
}
std::optional<PersonFlag> parse_person_flag(std::string_view text) noexcept {
  const int i = find_name(kFlagNames, text);
  if (i < 0) return std::nullopt;
  return person_flag_at(i);
}
std::string person_flags_text(PersonFlags flags) {
  std::string out;
  for (int i = 0; i < kPersonFlagCount; ++i) {
    if (flags & (1u << i)) out += (out.empty() ? "" : ";") + std::string(kFlagNames[i]);
  }
  return out;
}
std::string insurance_status_names() { return join(kStatusNames); }
std::string employment_names() { return join(kEmploymentNames); }
std::string person_flag_names() { return join(kFlagNames); }

}  // namespace canbao
