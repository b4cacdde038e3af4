#include "detail/did_you_mean.hpp"

#include <algorithm>
#include <cctype>

#include <canbao/detail/message_text.hpp>

namespace canbao::detail {

std::size_t edit_distance(const std::string& a, const std::string& b, std::size_t limit) {
  const std::size_t n = a.size(), m = b.size();
  if ((n > m ? n - m : m - n) > limit) return limit + 1;  // keeps a 10 MB key cheap
  // Three rows of the dynamic programme: before last, last, current.
  std::vector<std::size_t> d0(m + 1), d1(m + 1), d2(m + 1);
  for (std::size_t j = 0; j <= m; ++j) d1[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    d2[0] = i;
    std::size_t row_min = d2[0];
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d2[j] = std::min({d1[j] + 1, d2[j - 1] + 1, d1[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d2[j] = std::min(d2[j], d0[j - 2] + 1);
      row_min = std::min(row_min, d2[j]);
    }
    if (row_min > limit) return limit + 1;
    std::swap(d0, d1);
    std::swap(d1, d2);
  }
  return std::min(d1[m], limit + 1);
}

namespace {

std::string loose(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '_' || c == '-') continue;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace

bool same_name_loosely(const std::string& a, const std::string& b) {
  // Names are short: a long one (a 10 MB key) is no misspelling of anything.
  if (a.size() > 256 || b.size() > 256) return false;
  return a != b && loose(a) == loose(b);
}

std::vector<std::string> closest_names(const std::string& name,
                                       const std::set<std::string>& candidates) {
  std::vector<std::string> best;
  std::size_t best_distance = 3;
  for (const auto& c : candidates) {
    if (c == name) continue;
    std::size_t d = same_name_loosely(name, c) ? 0 : edit_distance(name, c, 2);
    if (d > 0 && (d >= name.size() || d >= c.size())) d = 3;
    if (d > 2 || d > best_distance) continue;
    if (d < best_distance) best.clear();
    best_distance = d;
    best.push_back(c);
  }
  return best;
}

std::string did_you_mean(const std::vector<std::string>& names) {
  if (names.empty()) return "";
  std::string out = "did you mean ";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += "\"" + excerpt(names[i]) + "\"";
  }
  return out + "?";
}

}  // namespace canbao::detail
