#include "detail/csv.hpp"

namespace canbao::detail {

CsvReader::CsvReader(std::istream& in, std::string source) : in_(in), source_(std::move(source)) {}

std::string CsvReader::where(std::size_t line, std::size_t column) const {
  std::string w =
      source_.empty() ? "line " + std::to_string(line) : source_ + ":" + std::to_string(line);
  if (column > 0)
    w += source_.empty() ? ", column " + std::to_string(column) : ":" + std::to_string(column);
  return w;
}

void CsvReader::fail(std::size_t line, std::size_t column, const std::string& message) const {
  throw InputError(where(line, column), message);
}

bool CsvReader::read_record(CsvRow& row) {
  row.fields.clear();
  std::string field;
  bool in_quotes = false, any = false, was_quoted = false;
  int c;
  row.line = line_ + 1;
  while ((c = in_.get()) != EOF) {
    any = true;
    const char ch = static_cast<char>(c);
    if (in_quotes) {
      if (ch == '"') {
        if (in_.peek() == '"') {
          in_.get();
          field += '"';
        } else {
          in_quotes = false;
        }
      } else {
        if (ch == '\n') ++line_;
        field += ch;
      }
      continue;
    }
    if (ch == '"') {
      if (!field.empty()) fail(row.line, row.fields.size() + 1, "a quote inside an unquoted field");
      in_quotes = true;
      was_quoted = true;
    } else if (ch == ',') {
      row.fields.push_back(std::move(field));
      field.clear();
      was_quoted = false;
    } else if (ch == '\r') {
      if (in_.peek() != '\n')
        fail(row.line, row.fields.size() + 1, "a carriage return without a line feed");
    } else if (ch == '\n') {
      ++line_;
      row.fields.push_back(std::move(field));
      return true;
    } else {
      if (was_quoted) fail(row.line, row.fields.size() + 1, "text after a closing quote");
      field += ch;
    }
  }
  if (in_quotes)
    fail(row.line, row.fields.size() + 1,
         "a quoted field is not closed before the end of the file");
  if (!any) return false;
  ++line_;
  row.fields.push_back(std::move(field));
  return true;
}

const std::vector<std::string>& CsvReader::read_header() {
  CsvRow row;
  if (first_) {
    first_ = false;
    // UTF-8 byte order mark, as Excel writes it.
    if (in_.peek() == 0xEF) {
      char bom[3];
      in_.read(bom, 3);
      if (!(static_cast<unsigned char>(bom[1]) == 0xBB &&
            static_cast<unsigned char>(bom[2]) == 0xBF)) {
        fail(1, 1, "the file starts with bytes that are not a UTF-8 byte order mark");
      }
    }
  }
  if (!read_record(row) || (row.fields.size() == 1 && row.fields[0].empty())) {
    fail(1, 0, "the header row is missing (the file is empty)");
  }
  header_ = row.fields;
  index_.clear();
  for (std::size_t i = 0; i < header_.size(); ++i) {
    if (header_[i].empty()) fail(row.line, i + 1, "empty column name in the header");
    if (!index_.emplace(header_[i], static_cast<int>(i)).second) {
      fail(row.line, i + 1, "column \"" + header_[i] + "\" appears twice in the header");
    }
  }
  return header_;
}

int CsvReader::column(std::string_view name) const {
  auto it = index_.find(std::string(name));
  return it == index_.end() ? -1 : it->second;
}

int CsvReader::required_column(std::string_view name) const {
  const int c = column(name);
  if (c < 0) {
    std::string have;
    for (const auto& h : header_) have += (have.empty() ? "" : ",") + h;
    fail(1, 0, "the header has no column \"" + std::string(name) + "\" (header: " + have + ")");
  }
  return c;
}

bool CsvReader::next(CsvRow& row) {
  for (;;) {
    if (!read_record(row)) return false;
    // A completely empty line (often the last one) is not a record.
    if (row.fields.size() == 1 && row.fields[0].empty()) continue;
    if (row.fields.size() != header_.size()) {
      fail(row.line, 0,
           "expected " + std::to_string(header_.size()) + " fields as in the header, got " +
               std::to_string(row.fields.size()));
    }
    return true;
  }
}

std::string csv_escape(std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(field);
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace canbao::detail
