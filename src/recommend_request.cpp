// call_json's fast reader of a one-person recommend request
// (detail/recommend_request.hpp). It accepts a strict subset of what the
// general reader (json_request.cpp read_person, json_api.cpp) accepts and
// reads each field with the same functions (parse_iso_date, parse_sex, the
// policy's list codes), so a request it takes gets the general reader's
// answer; tests/unit/test_recommend_request.cpp checks both on the same texts.
#include "detail/recommend_request.hpp"

#include <cstdint>

#include <canbao/sex.hpp>

namespace canbao::detail {
namespace {

// A cursor over JSON text that only knows the shapes the fast path takes.
class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}

  bool eat(char c) {
    skip_space();
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  bool at_end() {
    skip_space();
    return i_ == s_.size();
  }
  // A string of printable ASCII without escapes (anything else: not ours).
  bool string(std::string_view& out) {
    skip_space();
    if (i_ >= s_.size() || s_[i_] != '"') return false;
    const std::size_t begin = ++i_;
    for (; i_ < s_.size(); ++i_) {
      const auto c = static_cast<unsigned char>(s_[i_]);
      if (c == '"') {
        out = s_.substr(begin, i_ - begin);
        ++i_;
        return true;
      }
      if (c < 0x20 || c >= 0x7F || c == '\\') return false;
    }
    return false;
  }
  bool boolean(bool& out) {
    skip_space();
    if (s_.compare(i_, 4, "true") == 0) {
      i_ += 4;
      out = true;
      return true;
    }
    if (s_.compare(i_, 5, "false") == 0) {
      i_ += 5;
      out = false;
      return true;
    }
    return false;
  }
  // 0..65535 written as plain digits ("0", "1200"; no sign, fraction, exponent).
  bool u16(std::uint16_t& out) {
    skip_space();
    const std::size_t begin = i_;
    std::uint32_t v = 0;
    while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9' && i_ - begin < 6) {
      v = v * 10 + static_cast<std::uint32_t>(s_[i_] - '0');
      ++i_;
    }
    const std::size_t n = i_ - begin;
    if (n == 0 || n > 5 || (n > 1 && s_[begin] == '0') || v > 65535) return false;
    if (i_ < s_.size() && (s_[i_] == '.' || s_[i_] == 'e' || s_[i_] == 'E')) return false;
    out = static_cast<std::uint16_t>(v);
    return true;
  }

 private:
  void skip_space() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r'))
      ++i_;
  }
  std::string_view s_;
  std::size_t i_ = 0;
};

// The members of an object, each once: `member(key)` reads one value and
// says whether it was taken. Duplicates and unknown keys are not ours.
template <class Member>
bool read_object(Scanner& in, Member member) {
  if (!in.eat('{')) return false;
  if (in.eat('}')) return true;
  do {
    std::string_view key;
    if (!in.string(key) || !in.eat(':') || !member(key)) return false;
  } while (in.eat(','));
  return in.eat('}');
}

bool read_code(Scanner& in, const BuiltinValues& lists, BuiltinList list, int& code) {
  std::string_view text;
  if (!in.string(text)) return false;
  code = lists.code(list, text);
  return code >= 0;
}

bool read_person(Scanner& in, const FactDeclarations& facts, Person& p) {
  unsigned seen = 0;
  auto once = [&seen](unsigned bit) {
    if (seen & bit) return false;
    seen |= bit;
    return true;
  };
  const BuiltinValues& lists = facts.builtin;
  const bool read = read_object(in, [&](std::string_view key) {
    std::string_view text;
    int code = 0;
    if (key == "sex") return once(1) && in.string(text) && parse_sex(text, &p.sex);
    if (key == "birth_date") {
      if (!once(2) || !in.string(text)) return false;
      const auto d = parse_iso_date(text);
      if (d) p.birth_date = *d;
      return d.has_value();
    }
    if (key == "hukou_local") return once(4) && in.boolean(p.hukou_local);
    if (key == "insurance_status") {
      if (!once(8) || !read_code(in, lists, BuiltinList::insurance_status, code)) return false;
      p.insurance_status = static_cast<InsuranceStatus>(code);
      return true;
    }
    if (key == "employment") {
      if (!once(16) || !read_code(in, lists, BuiltinList::employment, code)) return false;
      p.employment = static_cast<Employment>(code);
      return true;
    }
    if (key == "resident_grade_yuan") return once(32) && in.u16(p.resident_grade_yuan);
    if (key == "flags") {
      if (!once(64) || !in.eat('[')) return false;
      if (in.eat(']')) return true;
      do {
        if (!read_code(in, lists, BuiltinList::flags, code)) return false;
        p.flags = static_cast<PersonFlags>(p.flags | (1u << code));
      } while (in.eat(','));
      return in.eat(']');
    }
    return false;  // id_number, facts, an unknown key: the general reader's
  });
  return read && (seen & 3) == 3;  // sex and birth_date are required
}

}  // namespace

std::optional<SimpleRecommendRequest> read_simple_recommend_request(std::string_view text,
                                                                    const FactDeclarations& facts) {
  // Declared facts take their defaults here; one without a default is required.
  for (const FactDeclaration& f : facts.facts)
    if (!f.default_value) return std::nullopt;
  SimpleRecommendRequest r;
  Scanner in(text);
  unsigned seen = 0;
  auto once = [&seen](unsigned bit) {
    if (seen & bit) return false;
    seen |= bit;
    return true;
  };
  const bool read = read_object(in, [&](std::string_view key) {
    std::string_view value;
    if (key == "op") return once(1) && in.string(value) && value == "recommend";
    if (key == "as_of") {
      if (!once(2) || !in.string(value)) return false;
      const auto d = parse_iso_date(value);
      if (!d || !is_supported_date(*d)) return false;
      r.as_of = *d;
      return true;
    }
    if (key == "person") return once(4) && read_person(in, facts, r.person);
    return false;
  });
  if (!read || seen != 7 || !in.at_end()) return std::nullopt;
  return r;
}

}  // namespace canbao::detail
