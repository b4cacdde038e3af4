// Display width and the text table shared by the text writers.
#include "detail/text_table.hpp"

#include <algorithm>
#include <ostream>
#include <utility>

#include <canbao/report.hpp>

namespace canbao {

// ---- display width ----------------------------------------------------------

namespace {

// Decodes one UTF-8 sequence at s[i]; advances i. Invalid bytes decode as
// themselves, one byte each (so a broken name still prints and counts).
char32_t next_code_point(const std::string& s, std::size_t& i) {
  const auto b = static_cast<unsigned char>(s[i]);
  const std::size_t extra = b >= 0xF0 && b < 0xF8   ? 3
                            : b >= 0xE0 && b < 0xF0 ? 2
                            : b >= 0xC0 && b < 0xE0 ? 1
                                                    : 0;
  if (extra == 0 || i + extra >= s.size()) {
    ++i;
    return b;
  }
  char32_t cp = b & (0x3F >> extra);
  for (std::size_t k = 1; k <= extra; ++k) {
    const auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) {  // truncated sequence: take the lead byte alone
      ++i;
      return b;
    }
    cp = (cp << 6) | (c & 0x3F);
  }
  i += 1 + extra;
  return cp;
}

bool in(char32_t c, char32_t lo, char32_t hi) { return c >= lo && c <= hi; }

int code_point_width(char32_t c) {
  // Combining marks, zero-width spaces and joiners, variation selectors.
  if (in(c, 0x0300, 0x036F) || in(c, 0x200B, 0x200F) || in(c, 0xFE00, 0xFE0F)) return 0;
  // East Asian Wide (W) and Fullwidth (F) blocks.
  if (in(c, 0x1100, 0x115F) || in(c, 0x2E80, 0x303E) || in(c, 0x3041, 0x33FF) ||
      in(c, 0x3400, 0x4DBF) || in(c, 0x4E00, 0x9FFF) || in(c, 0xA000, 0xA4CF) ||
      in(c, 0xAC00, 0xD7A3) || in(c, 0xF900, 0xFAFF) || in(c, 0xFE30, 0xFE4F) ||
      in(c, 0xFF00, 0xFF60) || in(c, 0xFFE0, 0xFFE6) || in(c, 0x1F300, 0x1F64F) ||
      in(c, 0x1F900, 0x1F9FF) || in(c, 0x20000, 0x2FFFD) || in(c, 0x30000, 0x3FFFD)) {
    return 2;
  }
  return 1;
}

}  // namespace

int display_width(const std::string& utf8) {
  int width = 0;
  for (std::size_t i = 0; i < utf8.size();) width += code_point_width(next_code_point(utf8, i));
  return width;
}

// ---- text table ---------------------------------------------------------------

namespace detail {

const char* comparison_sign(Comparison c) {
  switch (c) {
    case Comparison::ge:
      return "≥";
    case Comparison::gt:
      return ">";
    case Comparison::le:
      return "≤";
    case Comparison::lt:
      return "<";
    case Comparison::eq:
      return "=";
  }
  return "?";
}

std::string pad(const std::string& s, int width, bool right) {
  const int fill = width - display_width(s);
  if (fill <= 0) return s;
  return right ? std::string(static_cast<std::size_t>(fill), ' ') + s
               : s + std::string(static_cast<std::size_t>(fill), ' ');
}

TextTable::TextTable(std::vector<bool> right_aligned) : right_(std::move(right_aligned)) {}

void TextTable::header(std::vector<std::string> cells) {
  lines_.push_back({Kind::header, std::move(cells)});
}
void TextTable::row(std::vector<std::string> cells) {
  lines_.push_back({Kind::row, std::move(cells)});
}
void TextTable::rule() { lines_.push_back({Kind::rule, {}}); }

std::vector<int> TextTable::widths() const {
  std::vector<int> w;
  for (const Line& l : lines_) {
    if (w.size() < l.cells.size()) w.resize(l.cells.size(), 0);
    for (std::size_t c = 0; c < l.cells.size(); ++c)
      w[c] = std::max(w[c], display_width(l.cells[c]));
  }
  return w;
}

void TextTable::print_lines(std::ostream& out, const std::string& indent, bool trimmed) const {
  const std::vector<int> w = widths();
  int total = 0;
  for (int x : w) total += x;
  if (!w.empty()) total += static_cast<int>(2 * (w.size() - 1));
  for (const Line& l : lines_) {
    std::string line = indent;
    if (l.kind == Kind::rule) {
      line += std::string(static_cast<std::size_t>(total), '-');
    } else {
      for (std::size_t c = 0; c < l.cells.size(); ++c) {
        const bool last = c + 1 == l.cells.size();
        const bool right = l.kind == Kind::row && c < right_.size() && right_[c];
        if (c) line += "  ";
        line += trimmed && last ? l.cells[c] : pad(l.cells[c], w[c], right);
      }
    }
    if (trimmed) {
      while (!line.empty() && line.back() == ' ') line.pop_back();
    }
    out << line << "\n";
  }
}

void TextTable::print(std::ostream& out, const std::string& indent) const {
  print_lines(out, indent, false);
}
void TextTable::print_trimmed(std::ostream& out, const std::string& indent) const {
  print_lines(out, indent, true);
}

}  // namespace detail
}  // namespace canbao
