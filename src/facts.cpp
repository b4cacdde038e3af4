// Declared facts' values: validity, and the one text form every reader
// (roster CSV, JSON persons, Python strings, the CLI) parses and every
// writer prints (facts.hpp).
#include <canbao/facts.hpp>

#include <algorithm>
#include <charconv>

#include <canbao/date.hpp>

#include "detail/office_number.hpp"

namespace canbao {

const char* fact_type_name(FactType t) noexcept {
  switch (t) {
    case FactType::boolean: return "boolean";
    case FactType::enumeration: return "enumeration";
    case FactType::integer: return "integer";
    case FactType::date: return "date";
    case FactType::flags: return "flags";
  }
  return "?";
}

bool FactDeclaration::valid(FactValue v) const noexcept {
  switch (type) {
    case FactType::boolean: return v == 0 || v == 1;
    case FactType::enumeration: return v >= 0 && static_cast<std::size_t>(v) < values.size();
    case FactType::flags:
      return v >= 0 && (static_cast<std::uint32_t>(v) >> values.size()) == 0;
    case FactType::integer:
    case FactType::date: return min <= v && v <= max;
  }
  return false;
}

int FactDeclaration::value_index(std::string_view value_id) const noexcept {
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values[i].id == value_id) return static_cast<int>(i);
  }
  return -1;
}

std::string FactDeclaration::expected() const {
  std::string ids;
  for (const FactValueName& v : values) ids += (ids.empty() ? "" : ", ") + v.id;
  switch (type) {
    case FactType::boolean: return "true or false";
    case FactType::enumeration: return "one of: " + ids;
    case FactType::flags: return "flags joined by ';' (\"\" for none) from: " + ids;
    case FactType::integer:
      return "a whole number from " + std::to_string(min) + " to " + std::to_string(max);
    case FactType::date:
      return "a date from " + Date::from_day_number(min).iso() + " to " +
             Date::from_day_number(max).iso();
  }
  return "?";
}

std::optional<FactValue> FactDeclaration::parse(std::string_view text, std::string* why) const {
  auto fail = [&](const std::string& what) -> std::optional<FactValue> {
    if (why) *why = what;
    return std::nullopt;
  };
  const std::string quoted = "\"" + std::string(text) + "\"";
  switch (type) {
    case FactType::boolean:
      if (text == "true" || text == "1" || text == "是") return 1;
      if (text == "false" || text == "0" || text == "否") return 0;
      return fail("expected true or false (1/0, 是/否), got " + quoted);
    case FactType::enumeration: {
      const int i = value_index(text);
      if (i < 0) return fail("unknown value " + quoted + " (expected " + expected() + ")");
      return i;
    }
    case FactType::flags: {
      std::uint32_t bits = 0;
      std::size_t from = 0;
      while (from < text.size()) {
        const std::size_t end = std::min(text.find(';', from), text.size());
        const std::string_view id = text.substr(from, end - from);
        const int i = value_index(id);
        if (i < 0) {
          return fail("unknown flag \"" + std::string(id) + "\" in " + quoted + " (expected " +
                      expected() + ")");
        }
        if (bits & (1u << i)) return fail("flag \"" + std::string(id) + "\" is listed twice");
        bits |= 1u << i;
        from = end + 1;
        if (end + 1 == text.size()) return fail("a flag list ends with ';': " + quoted);
      }
      return static_cast<FactValue>(bits);
    }
    case FactType::integer: {
      std::int64_t v = 0;  // "1,330" and full-width digits too (docs/office-data.md)
      if (!detail::parse_office_integer(text, &v) || v < min || v > max)
        return fail("expected " + expected() + ", got " + quoted);
      return static_cast<FactValue>(v);
    }
    case FactType::date: {
      std::string reason;
      const auto d = parse_office_date(text, &reason);
      if (!d) return fail(reason);
      if (!valid(d->day_number())) return fail("expected " + expected() + ", got " + quoted);
      return d->day_number();
    }
  }
  return fail("unknown fact type");
}

std::string FactDeclaration::text(FactValue v) const {
  switch (type) {
    case FactType::boolean: return v ? "true" : "false";
    case FactType::enumeration:
      return valid(v) ? values[static_cast<std::size_t>(v)].id : std::to_string(v);
    case FactType::flags: {
      std::string out;
      for (std::size_t i = 0; i < values.size(); ++i) {
        if ((static_cast<std::uint32_t>(v) >> i) & 1u) out += (out.empty() ? "" : ";") + values[i].id;
      }
      return out;
    }
    case FactType::integer: return std::to_string(v);
    case FactType::date: return Date::from_day_number(v).iso();
  }
  return std::to_string(v);
}

int FactDeclarations::index_of(std::string_view id) const noexcept {
  for (std::size_t i = 0; i < facts.size(); ++i) {
    if (facts[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace canbao
