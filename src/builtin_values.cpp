// The built-in value lists (person.hpp) as a policy extends them (facts.hpp):
// one place that spells, parses and lists insurance states, employment kinds
// and flags, so every reader and writer agrees on the added values.
#include <canbao/facts.hpp>

#include <algorithm>

#include <canbao/person.hpp>

namespace canbao {

const char* builtin_list_name(BuiltinList l) noexcept {
  switch (l) {
    case BuiltinList::insurance_status:
      return "insurance_status";
    case BuiltinList::employment:
      return "employment";
    case BuiltinList::flags:
      return "flags";
  }
  return "?";
}

const BuiltinValues::Added& BuiltinValues::added(BuiltinList l) const noexcept {
  switch (l) {
    case BuiltinList::insurance_status:
      return insurance_status;
    case BuiltinList::employment:
      return employment;
    case BuiltinList::flags:
      break;
  }
  return flags;
}
BuiltinValues::Added& BuiltinValues::added(BuiltinList l) noexcept {
  return const_cast<Added&>(static_cast<const BuiltinValues*>(this)->added(l));
}

bool BuiltinValues::extended() const noexcept {
  return !insurance_status.values.empty() || !employment.values.empty() || !flags.values.empty();
}

int BuiltinValues::builtin_count(BuiltinList l) noexcept {
  switch (l) {
    case BuiltinList::insurance_status:
      return kInsuranceStatusCount;
    case BuiltinList::employment:
      return kEmploymentCount;
    case BuiltinList::flags:
      break;
  }
  return kPersonFlagCount;
}

int BuiltinValues::max_count(BuiltinList l) noexcept {
  switch (l) {
    case BuiltinList::insurance_status:
      return kMaxInsuranceStatus;
    case BuiltinList::employment:
      return kMaxEmployment;
    case BuiltinList::flags:
      break;
  }
  return kMaxFlags;
}

int BuiltinValues::count(BuiltinList l) const noexcept {
  return builtin_count(l) + static_cast<int>(added(l).values.size());
}

std::string BuiltinValues::name(BuiltinList l, int code) const {
  if (code < 0 || code >= count(l)) return "?";
  const int builtin = builtin_count(l);
  if (code >= builtin) return added(l).values[static_cast<std::size_t>(code - builtin)].id;
  switch (l) {
    case BuiltinList::insurance_status:
      return insurance_status_name(static_cast<InsuranceStatus>(code));
    case BuiltinList::employment:
      return employment_name(static_cast<Employment>(code));
    case BuiltinList::flags:
      break;
  }
  return person_flag_name(person_flag_at(code));
}

int BuiltinValues::code(BuiltinList l, std::string_view text) const noexcept {
  switch (l) {
    case BuiltinList::insurance_status:
      if (const auto s = parse_insurance_status(text)) return static_cast<int>(*s);
      break;
    case BuiltinList::employment:
      if (const auto e = parse_employment(text)) return static_cast<int>(*e);
      break;
    case BuiltinList::flags:
      for (int i = 0; i < kPersonFlagCount; ++i)
        if (text == person_flag_name(person_flag_at(i))) return i;
      break;
  }
  const std::vector<FactValueName>& vs = added(l).values;
  const auto it =
      std::find_if(vs.begin(), vs.end(), [&](const FactValueName& v) { return v.id == text; });
  return it == vs.end() ? -1 : builtin_count(l) + static_cast<int>(it - vs.begin());
}

std::string BuiltinValues::names(BuiltinList l) const {
  std::string out;
  for (int i = 0; i < count(l); ++i) out += (i ? ", " : "") + name(l, i);
  return out;
}

std::string BuiltinValues::flags_text(std::uint32_t bits) const {
  std::string out;
  for (int i = 0; i < count(BuiltinList::flags); ++i) {
    if ((bits >> i) & 1u) out += (out.empty() ? "" : ";") + name(BuiltinList::flags, i);
  }
  return out;
}

std::optional<std::uint32_t> BuiltinValues::parse_flags(std::string_view text,
                                                        std::string* why) const {
  std::uint32_t bits = 0;
  std::size_t from = 0;
  while (from < text.size()) {
    const std::size_t end = std::min(text.find(';', from), text.size());
    const std::string_view one = text.substr(from, end - from);
    const int i = code(BuiltinList::flags, one);
    if (i < 0 || ((bits >> i) & 1u)) {
      if (why) {
        *why = (i < 0 ? "unknown flag \"" : "flag listed twice: \"") + std::string(one) +
               "\" (expected ';'-separated names from: " + names(BuiltinList::flags) + ")";
      }
      return std::nullopt;
    }
    bits |= 1u << i;
    from = end + 1;
  }
  return bits;
}

}  // namespace canbao
