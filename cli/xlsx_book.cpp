#include "xlsx_book.hpp"

#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <sstream>
#include <stdexcept>

#include <canbao/detail/message_text.hpp>
#include <canbao/error.hpp>
#include <canbao/money.hpp>
#include <canbao/report.hpp>

namespace canbao::cli {
namespace {

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// RFC 4180 records of a CSV text ("\n" or "\r\n" line ends).
std::vector<std::vector<std::string>> parse_csv(const std::string& csv) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, any = false;
  for (std::size_t i = 0; i < csv.size(); ++i) {
    const char c = csv[i];
    if (quoted) {
      if (c == '"' && i + 1 < csv.size() && csv[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = any = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
      any = true;
    } else if (c == '\n') {
      if (!field.empty() && field.back() == '\r') field.pop_back();
      row.push_back(std::move(field));
      field.clear();
      rows.push_back(std::move(row));
      row.clear();
      any = false;
    } else {
      field += c;
      any = true;
    }
  }
  if (any || !field.empty()) {
    row.push_back(std::move(field));
    rows.push_back(std::move(row));
  }
  return rows;
}

// Masks ID-like digit runs except in `keep` (the fingerprint), as write_masked does.
std::string masked(const std::string& text, const std::string& keep) {
  std::string out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t at = keep.empty() ? std::string::npos : text.find(keep, start);
    out += detail::mask_id_numbers(std::string_view(text).substr(start, at - start));
    if (at == std::string::npos) break;
    out += keep;
    start = at + keep.size();
  }
  return out;
}

bool read_number(const std::string& text, double* value) {
  if (text.empty()) return false;
  char* end = nullptr;
  errno = 0;
  *value = std::strtod(text.c_str(), &end);
  return errno == 0 && end == text.c_str() + text.size();
}

bool read_integer(const std::string& text, double* value) {
  if (text.empty()) return false;
  char* end = nullptr;
  errno = 0;
  const long long v = std::strtoll(text.c_str(), &end, 10);
  if (errno != 0 || end != text.c_str() + text.size()) return false;
  *value = static_cast<double>(v);  // exact below 2^53: counts and fen are far below
  return true;
}

}  // namespace

CellKind kind_for_header(const std::string& h) {
  if (ends_with(h, "_yuan") || h == "yuan") return CellKind::yuan;
  if (ends_with(h, "_fen") || ends_with(h, "_count") || ends_with(h, "_rank") ||
      ends_with(h, "_tier") || ends_with(h, "_days") || h == "rank" || h == "tier" ||
      h == "count" || h == "basis" || h == "micro_points" || h == "age" || h == "persons" ||
      h == "days_left" || h == "points_used" || h == "changed" || h == "line" || h == "column" ||
      h.rfind("rank_", 0) == 0 || h.rfind("tier_", 0) == 0 || h.rfind("n_", 0) == 0)
    return CellKind::integer;
  if (ends_with(h, "_on") || ends_with(h, "_date") || h == "date" || h == "deadline" ||
      h == "last_observed" || h == "due" || h == "as_of" || h.rfind("due_", 0) == 0 ||
      h.rfind("completed_", 0) == 0)
    return CellKind::date;
  if (ends_with(h, "_completion") || ends_with(h, "_rate") || h == "completion")
    return CellKind::percent;
  if (h == "points" || ends_with(h, "_points") || ends_with(h, "_points_deducted") ||
      h == "value" || h == "target" || h == "shortfall" || h.rfind("points_", 0) == 0 ||
      ends_with(h, "_per_day") || h == "current" || h == "projected" || h == "threshold")
    return CellKind::number;
  return CellKind::text;
}

Table table_from_csv(std::string sheet, std::string title, const std::string& csv) {
  Table t;
  t.sheet = std::move(sheet);
  t.title = std::move(title);
  auto rows = parse_csv(csv);
  if (rows.empty()) return t;
  const std::vector<std::string> headers = rows.front();
  std::vector<bool> fen_as_yuan(headers.size(), false);
  for (std::size_t c = 0; c < headers.size(); ++c) {
    Column col{headers[c], kind_for_header(headers[c])};
    if (ends_with(col.header, "_fen")) {
      const std::string yuan = col.header.substr(0, col.header.size() - 4) + "_yuan";
      if (std::find(headers.begin(), headers.end(), yuan) == headers.end()) {
        fen_as_yuan[c] = true;
        col = {yuan, CellKind::yuan};
      }
    }
    t.columns.push_back(col);
  }
  for (std::size_t r = 1; r < rows.size(); ++r) {
    std::vector<std::string>& row = rows[r];
    for (std::size_t c = 0; c < row.size() && c < fen_as_yuan.size(); ++c) {
      double fen = 0;
      if (!fen_as_yuan[c] || !read_integer(row[c], &fen)) continue;
      row[c] = Fen(std::strtoll(row[c].c_str(), nullptr, 10)).yuan_string();  // exact
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

std::vector<Table> tables_from_sectioned_csv(const std::string& csv) {
  std::vector<Table> tables;
  std::istringstream in(csv);
  std::string line, name, body;
  auto flush = [&] {
    if (!name.empty()) tables.push_back(table_from_csv(name, "", body));
    body.clear();
  };
  while (std::getline(in, line)) {
    if (line.rfind("# ", 0) == 0) {
      flush();
      name = line.substr(2);
    } else {
      body += line + "\n";
    }
  }
  flush();
  return tables;
}

struct XlsxBook::Impl {
  std::string path, option, temp, keep;
  lxw_workbook* book = nullptr;
  lxw_format *bold = nullptr, *yuan = nullptr, *percent = nullptr, *date = nullptr,
             *title = nullptr;
  bool committed = false;
};

XlsxBook::XlsxBook(std::string path, std::string option, Date created, std::string keep)
    : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.path = std::move(path);
  m.option = std::move(option);
  m.keep = std::move(keep);
  const auto slash = m.path.rfind('/');
  const std::string dir = slash == std::string::npos ? "" : m.path.substr(0, slash + 1);
  const std::string base = slash == std::string::npos ? m.path : m.path.substr(slash + 1);
  if (base.empty())
    throw ArgumentError(m.option, "\"" + m.path + "\" names a directory, not a file");
  std::string name = dir + "." + base + ".tmp-XXXXXX";
  std::vector<char> buf(name.begin(), name.end());
  buf.push_back('\0');
  const int fd = mkstemp(buf.data());
  if (fd < 0)
    throw ArgumentError(m.option, "cannot write \"" + m.path + "\" (" + std::strerror(errno) + ")");
  const mode_t mask = umask(0);  // the mode a plain open would give
  umask(mask);
  fchmod(fd, 0666 & ~mask);
  close(fd);
  m.temp = buf.data();
  m.book = workbook_new(m.temp.c_str());
  if (!m.book) {
    std::remove(m.temp.c_str());
    throw ArgumentError(m.option, "cannot write \"" + m.path + "\"");
  }
  // A fixed creation time (the as-of day, midnight UTC): the same input gives the same bytes.
  lxw_doc_properties props{};
  props.created = static_cast<time_t>(created.day_number()) * 86400;
  workbook_set_properties(m.book, &props);
  m.bold = workbook_add_format(m.book);
  format_set_bold(m.bold);
  m.title = workbook_add_format(m.book);
  format_set_bold(m.title);
  format_set_font_size(m.title, 13);
  m.yuan = workbook_add_format(m.book);
  format_set_num_format(m.yuan, "#,##0.00");
  m.percent = workbook_add_format(m.book);
  format_set_num_format(m.percent, "0.00%");
  m.date = workbook_add_format(m.book);
  format_set_num_format(m.date, "yyyy-mm-dd");
}

XlsxBook::~XlsxBook() {
  if (!impl_->committed) {
    // libxlsxwriter frees a workbook only by closing it; the file it writes is removed.
    if (impl_->book) workbook_close(impl_->book);
    std::remove(impl_->temp.c_str());
  }
}

void XlsxBook::add(const Table& t) {
  Impl& m = *impl_;
  lxw_worksheet* ws = workbook_add_worksheet(m.book, t.sheet.c_str());
  // Sheet names are canbao's own: a bad one is a bug, not an input error.
  if (!ws) throw std::logic_error("xlsx: cannot add the sheet \"" + t.sheet + "\"");
  std::vector<int> width(t.columns.size(), 8);
  auto fit = [&](std::size_t c, const std::string& text) {
    if (c < width.size()) width[c] = std::max(width[c], std::min(display_width(text) + 2, 60));
  };
  lxw_row_t row = 0;
  if (!t.title.empty())
    worksheet_write_string(ws, row++, 0, masked(t.title, m.keep).c_str(), m.title);
  for (const std::string& note : t.notes)
    worksheet_write_string(ws, row++, 0, masked(note, m.keep).c_str(), nullptr);
  if (row > 0) ++row;  // a blank row before the table
  for (std::size_t c = 0; c < t.columns.size(); ++c) {
    worksheet_write_string(ws, row, static_cast<lxw_col_t>(c), t.columns[c].header.c_str(), m.bold);
    fit(c, t.columns[c].header);
  }
  worksheet_freeze_panes(ws, row + 1, 0);
  ++row;
  for (const auto& cells : t.rows) {
    for (std::size_t c = 0; c < cells.size(); ++c) {
      const std::string& text = cells[c];
      const auto col = static_cast<lxw_col_t>(c);
      if (text.empty()) continue;
      const CellKind kind = c < t.columns.size() ? t.columns[c].kind : CellKind::text;
      double v = 0;
      if (kind == CellKind::integer && read_integer(text, &v)) {
        worksheet_write_number(ws, row, col, v, nullptr);
        fit(c, text);
        continue;
      }
      if ((kind == CellKind::number || kind == CellKind::yuan || kind == CellKind::percent) &&
          read_number(text, &v)) {
        lxw_format* f = kind == CellKind::yuan      ? m.yuan
                        : kind == CellKind::percent ? m.percent
                                                    : nullptr;
        worksheet_write_number(ws, row, col, v, f);
        fit(c, text + (kind == CellKind::yuan ? ",00" : ""));
        continue;
      }
      if (kind == CellKind::date) {
        if (const auto d = parse_iso_date(text)) {
          lxw_datetime dt{d->year(), d->month(), d->day(), 0, 0, 0};
          worksheet_write_datetime(ws, row, col, &dt, m.date);
          fit(c, "2021-01-01");
          continue;
        }
      }
      const std::string shown = masked(text, m.keep);
      worksheet_write_string(ws, row, col, shown.c_str(), nullptr);
      fit(c, shown);
    }
    ++row;
  }
  for (std::size_t c = 0; c < width.size(); ++c)
    worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), width[c],
                         nullptr);
}

void XlsxBook::commit() {
  Impl& m = *impl_;
  const lxw_error e = workbook_close(m.book);
  m.book = nullptr;
  if (e != LXW_NO_ERROR) {
    throw ArgumentError(m.option, "writing \"" + m.path + "\" failed (" + lxw_strerror(e) + ")");
  }
  if (std::rename(m.temp.c_str(), m.path.c_str()) != 0) {
    throw ArgumentError(m.option, "cannot write \"" + m.path + "\" (" + std::strerror(errno) + ")");
  }
  m.committed = true;
}

}  // namespace canbao::cli
