// Declared person facts: what a policy's decision tables may test beyond the
// built-in facts of person.hpp. A policy's "facts" section declares each one
// (docs/policy-format.md#facts): its id, its name, its type and the roster
// column it is read from. 004 needs several the built-in ones lack: prior
// contribution years, the scheme a person is suspended in elsewhere, 干部 or
// 工人 (the women's original retirement age), and g2's groups (新征地人员,
// 产业带头人, 农村劳动力转移人员, ...). A new fact is a policy change, never a
// C++ change.
//
// Every value is kept encoded as one int32 (FactValue), the form the batch
// columns, the C ABI and Python take:
//   boolean      0 or 1
//   enumeration  the index of the value in the declaration (0, 1, ...)
//   integer      the number, within the declared range
//   date         Date::day_number()
//   flags        bit i set when the declaration's value i is set
#pragma once

#include <canbao/export.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace canbao {

enum class FactType : std::uint8_t { boolean, enumeration, integer, date, flags };
CANBAO_API const char* fact_type_name(FactType t) noexcept;

using FactValue = std::int32_t;

// One value of an enumeration or a flag set: a stable id (as written in
// tables, rosters and JSON) and its name (名称, for officials' reports).
struct FactValueName {
  std::string id;
  std::string name;
};

struct CANBAO_API FactDeclaration {
  // At most 31 flags: a flag set is one int32 with the sign bit clear.
  static constexpr int kMaxFlags = 31;
  // At most 256 enumeration values (the batch tables keep one entry per value).
  static constexpr int kMaxValues = 256;

  std::string id;      // "prior_contribution_years"; tables test it under this key
  std::string name;    // "已缴费年限"
  FactType type = FactType::boolean;
  std::vector<FactValueName> values;  // enumeration and flags, in declaration order
  // integer: the inclusive range of valid values; date: valid days (day numbers).
  std::int32_t min = std::numeric_limits<std::int32_t>::min();
  std::int32_t max = std::numeric_limits<std::int32_t>::max();
  std::string column;                // roster column; the id when not given
  std::optional<FactValue> default_value;  // when a person or roster lacks the fact
  std::string source;
  std::string note;

  // Whether `v` is a valid encoded value of this fact.
  bool valid(FactValue v) const noexcept;
  // The index of an enumeration value or flag id, or -1.
  int value_index(std::string_view value_id) const noexcept;
  // Reads one value as written in a roster cell or a JSON string:
  // boolean "true"/"false" (also 1/0, 是/否), an enumeration value's id, a
  // decimal integer, a date YYYY-MM-DD, flags as ids joined by ';' ("" for
  // none). Nothing, and `why` says what was expected, otherwise.
  std::optional<FactValue> parse(std::string_view text, std::string* why = nullptr) const;
  // The value as parse() reads it back ("true", "cadre", "12", "2023-06-30", "graduate;fisher").
  std::string text(FactValue v) const;
  // What parse() expects, for error messages ("one of: worker, cadre").
  std::string expected() const;
};

// The built-in categorical facts whose value lists a policy may extend
// (person.hpp): insurance status, employment kind and flags. A new
// employment kind or flag is a policy change: the policy's "facts" section
// names the list it extends ({"extends": "employment", "values": [...]}),
// and the added values take the codes after the built-in ones, so built-in
// codes never move.
enum class BuiltinList : std::uint8_t { insurance_status, employment, flags };
inline constexpr int kBuiltinListCount = 3;
CANBAO_API const char* builtin_list_name(BuiltinList l) noexcept;

struct CANBAO_API BuiltinValues {
  // At most 16 insurance states and employment kinds (conditions keep them
  // as 16-bit sets) and 8 flags (one byte per person in the batch columns);
  // a policy that needs more declares its own enumeration or flags fact.
  static constexpr int kMaxInsuranceStatus = 16;
  static constexpr int kMaxEmployment = 16;
  static constexpr int kMaxFlags = 8;

  struct Added {
    std::vector<FactValueName> values;  // in code order after the built-in ones
    std::string source;
    std::string note;
  };
  Added insurance_status, employment, flags;

  const Added& added(BuiltinList l) const noexcept;
  Added& added(BuiltinList l) noexcept;
  // Whether the policy adds any value to any list.
  bool extended() const noexcept;
  // The built-in count of a list (kEmploymentCount, ...) and the maximum.
  static int builtin_count(BuiltinList l) noexcept;
  static int max_count(BuiltinList l) noexcept;
  // Values of the list: built-in plus added. Codes 0 .. count-1 (for flags:
  // bit numbers).
  int count(BuiltinList l) const noexcept;
  // The value's spelling ("platform_worker", or an added id); "?" out of range.
  std::string name(BuiltinList l, int code) const;
  // The code of a spelling (built-in or added), or -1.
  int code(BuiltinList l, std::string_view text) const noexcept;
  // "one of: none, resident_paying, ..." for error messages.
  std::string names(BuiltinList l) const;
  // Flags as ';'-joined names in bit order ("" for none), and back: nothing
  // (with `why`) for an unknown or repeated name.
  std::string flags_text(std::uint32_t bits) const;
  std::optional<std::uint32_t> parse_flags(std::string_view text, std::string* why = nullptr) const;
};

// The declarations of a policy, in order; ids unique (checked at load).
struct CANBAO_API FactDeclarations {
  std::vector<FactDeclaration> facts;
  // Values the policy adds to the built-in lists.
  BuiltinValues builtin;

  bool empty() const { return facts.empty(); }
  std::size_t size() const { return facts.size(); }
  // Index of the fact with this id, or -1.
  int index_of(std::string_view id) const noexcept;
};

}  // namespace canbao
