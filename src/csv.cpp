#include "detail/csv.hpp"

#include <canbao/detail/message_text.hpp>

namespace canbao::detail {

CsvReader::CsvReader(std::istream& in, std::string source) : in_(in), source_(std::move(source)) {}

ErrorPlace CsvReader::place(std::size_t line, std::size_t column) const {
  ErrorPlace p{source_, line, std::nullopt, std::nullopt};
  if (column > 0) p.column = column;
  return p;
}

std::string CsvReader::where(std::size_t line, std::size_t column) const {
  return place(line, column).text();
}

void CsvReader::fail(std::size_t line, std::size_t column, const std::string& message) const {
  throw InputError(place(line, column), message);
}

namespace {

// Offset of the first byte that is not part of well-formed UTF-8 (RFC 3629: no
// overlong forms, no surrogates, nothing above U+10FFFF), or npos.
std::size_t invalid_utf8_at(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (b >= 0xC2 && b <= 0xDF) {
      len = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      len = 3;
      if (b == 0xE0) lo = 0xA0;  // overlong
      if (b == 0xED) hi = 0x9F;  // surrogates
    } else if (b >= 0xF0 && b <= 0xF4) {
      len = 4;
      if (b == 0xF0) lo = 0x90;  // overlong
      if (b == 0xF4) hi = 0x8F;  // above U+10FFFF
    } else {
      return i;
    }
    if (i + len > s.size()) return i;
    for (std::size_t k = 1; k < len; ++k) {
      const auto c = static_cast<unsigned char>(s[i + k]);
      if (c < (k == 1 ? lo : 0x80) || c > (k == 1 ? hi : 0xBF)) return i;
    }
    i += len;
  }
  return std::string_view::npos;
}

std::string hex_byte(unsigned char b) {
  const char* digits = "0123456789ABCDEF";
  return std::string("0x") + digits[b >> 4] + digits[b & 15];
}

}  // namespace

void CsvReader::end_field(CsvRow& row, std::string& field) {
  if (field.size() > kMaxFieldBytes) {
    fail(row.line, row.fields.size() + 1,
         "a field longer than " + std::to_string(kMaxFieldBytes) + " bytes");
  }
  const std::size_t at = invalid_utf8_at(field);
  if (at != std::string_view::npos) {
    fail(row.line, row.fields.size() + 1,
         "not valid UTF-8 (byte " + hex_byte(static_cast<unsigned char>(field[at])) +
             "); save the file as UTF-8 (GBK is not supported yet)");
  }
  if (row.fields.size() >= kMaxFields) {
    fail(row.line, row.fields.size() + 1,
         "more than " + std::to_string(kMaxFields) + " fields in one record");
  }
  row.fields.push_back(std::move(field));
  field.clear();
}

bool CsvReader::read_record(CsvRow& row) {
  row.fields.clear();
  std::string field;
  bool in_quotes = false, any = false, was_quoted = false;
  std::size_t quote_line = 0;
  int c;
  row.line = line_ + 1;
  while ((c = in_.get()) != EOF) {
    any = true;
    const char ch = static_cast<char>(c);
    if (ch == '\0') {
      // Often a UTF-16 file or a binary one; never text a roster means.
      fail(line_ + 1, row.fields.size() + 1,
           "a NUL byte (0x00); save the file as UTF-8 text (UTF-16 is not supported)");
    }
    if (field.size() > kMaxFieldBytes) {
      fail(in_quotes ? quote_line : row.line, row.fields.size() + 1,
           "a field longer than " + std::to_string(kMaxFieldBytes) + " bytes" +
               (in_quotes ? " (is a quote not closed?)" : ""));
    }
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
      quote_line = line_ + 1;
    } else if (ch == ',') {
      end_field(row, field);
      was_quoted = false;
    } else if (ch == '\r') {
      if (in_.peek() != '\n')
        fail(line_ + 1, row.fields.size() + 1,
             "a carriage return without a line feed (lines end in LF or CRLF)");
    } else if (ch == '\n') {
      ++line_;
      end_field(row, field);
      return true;
    } else {
      if (was_quoted) fail(row.line, row.fields.size() + 1, "text after a closing quote");
      field += ch;
    }
  }
  if (in_quotes)
    fail(quote_line, row.fields.size() + 1,
         "the quoted field opened on this line is not closed before the end of the file");
  if (!any) return false;
  ++line_;
  end_field(row, field);
  return true;
}

const std::vector<std::string>& CsvReader::read_header() {
  CsvRow row;
  if (first_) {
    first_ = false;
    if (in_.peek() == 0xFF || in_.peek() == 0xFE) {
      fail(1, 1, "the file starts with a UTF-16 byte order mark; save it as UTF-8");
    }
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
    fail(1, 0,
         "the header has no column \"" + std::string(name) +
             "\" (header: " + detail::excerpt(have, 200) + ")");
  }
  return c;
}

bool CsvReader::next_record(CsvRow& row) {
  for (;;) {
    if (!read_record(row)) return false;
    // A completely empty line (often the last one) is not a record.
    if (row.fields.size() == 1 && row.fields[0].empty()) continue;
    return true;
  }
}

std::string CsvReader::field_count_message(const CsvRow& row) const {
  return "expected " + std::to_string(header_.size()) + " fields as in the header, got " +
         std::to_string(row.fields.size());
}

bool CsvReader::next(CsvRow& row) {
  if (!next_record(row)) return false;
  if (row.fields.size() != header_.size()) fail(row.line, 0, field_count_message(row));
  return true;
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

void write_csv_row(std::ostream& out, const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) out << (i ? "," : "") << csv_escape(fields[i]);
  out << "\n";
}

}  // namespace canbao::detail
