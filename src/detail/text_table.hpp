// The one text table of the writers layer: columns aligned by display width
// (display_width in report.hpp: CJK characters take two columns), two spaces
// apart, each line after an indent. Used by the campaign report and the
// comparison text writers.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include <canbao/ratio.hpp>

namespace canbao::detail {

// A comparison as people read it in reports: "≥", ">", "≤", "<", "=".
const char* comparison_sign(Comparison c);

// `s` padded with spaces to `width` display columns, on the left when `right`.
std::string pad(const std::string& s, int width, bool right);

class TextTable {
 public:
  // right_aligned[c]: column c is right-aligned in body rows (numbers).
  // Header rows are always left-aligned.
  explicit TextTable(std::vector<bool> right_aligned = {});

  void header(std::vector<std::string> cells);
  void row(std::vector<std::string> cells);
  // A line of '-' as wide as the table (under headers, above totals).
  void rule();

  // Every cell padded to its column's width, the last one too.
  void print(std::ostream& out, const std::string& indent = "  ") const;
  // The last cell unpadded and trailing spaces dropped: for a last column of
  // free text (names) or of markers that are often empty.
  void print_trimmed(std::ostream& out, const std::string& indent = "  ") const;

 private:
  enum class Kind { header, row, rule };
  struct Line {
    Kind kind;
    std::vector<std::string> cells;
  };
  std::vector<int> widths() const;
  void print_lines(std::ostream& out, const std::string& indent, bool trimmed) const;

  std::vector<bool> right_;
  std::vector<Line> lines_;
};

}  // namespace canbao::detail
