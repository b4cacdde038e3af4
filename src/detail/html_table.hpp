// The HTML tables and labels shared by the parts of the HTML report
// (report_html.cpp, report_html_action.cpp): a table with Chinese/English
// headers, escaped cells, money cells carrying exact fen.
#pragma once

#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include <canbao/money.hpp>

#include "svg.hpp"

namespace canbao::detail {

inline std::string esc(const std::string& s) { return html_escape(s); }

// "单位 [unit]": a header cell or a heading, Chinese first.
inline std::string zh_en(const std::string& zh, const std::string& en) {
  return esc(zh) + " <span class=\"en\">[" + esc(en) + "]</span>";
}

// An HTML table: a header row of Chinese/English labels, then rows of cells
// already escaped (cells() escapes plain text). A row may carry a data-unit.
class HtmlTable {
 public:
  struct Column {
    std::string zh, en;
    bool num = false;
  };
  explicit HtmlTable(std::vector<Column> columns) : columns_(std::move(columns)) {}
  void row(const std::vector<std::string>& html_cells, const std::string& unit_id = "",
           const std::string& css = "") {
    rows_ += "<tr";
    if (!unit_id.empty()) rows_ += " data-unit=\"" + esc(unit_id) + "\"";
    if (!css.empty()) rows_ += " class=\"" + css + "\"";
    rows_ += ">";
    for (std::size_t i = 0; i < html_cells.size(); ++i) {
      const bool num = i < columns_.size() && columns_[i].num;
      rows_ += num ? "<td class=\"num\">" : "<td>";
      rows_ += html_cells[i] + "</td>";
    }
    rows_ += "</tr>\n";
  }
  void print(std::ostream& out, const std::string& css) const {
    out << "<table class=\"" << css << "\">\n<thead><tr>";
    for (const Column& c : columns_)
      out << (c.num ? "<th class=\"num\">" : "<th>") << zh_en(c.zh, c.en) << "</th>";
    out << "</tr></thead>\n<tbody>\n" << rows_ << "</tbody>\n</table>\n";
  }

 private:
  std::vector<Column> columns_;
  std::string rows_;
};

inline std::vector<std::string> cells(const std::vector<std::string>& texts) {
  std::vector<std::string> out;
  for (const std::string& t : texts) out.push_back(esc(t));
  return out;
}

// A money cell: yuan with two decimals, the exact fen in data-fen for programs.
inline std::string fen_cell(Fen f, const std::string& id = "") {
  return "<span" + (id.empty() ? std::string() : " id=\"" + id + "\"") + " data-fen=\"" +
         std::to_string(f.count()) + "\">" + f.yuan_string() + "</span>";
}

}  // namespace canbao::detail
