#include "detail/csv.hpp"

#include <iconv.h>

#include <cerrno>
#include <sstream>

#include <canbao/detail/message_text.hpp>

namespace canbao::detail {

CsvReader::CsvReader(std::istream& in, std::string source, TableFormat format)
    : in_(&in), file_(&in), source_(std::move(source)), format_(format) {
  if (format_.delimiter == TableDelimiter::tab) delimiter_ = '\t';
}

CsvReader::~CsvReader() {
  if (iconv_) iconv_close(static_cast<iconv_t>(iconv_));
}

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

// Up to four bytes from `at` as "0x81 0x2C": never the raw bytes in a message.
std::string hex_bytes(std::string_view s, std::size_t at) {
  std::string out;
  for (std::size_t i = at; i < s.size() && i < at + 4; ++i)
    out += (out.empty() ? "" : " ") + hex_byte(static_cast<unsigned char>(s[i]));
  return out;
}

bool is_ascii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// Converts GB18030 `in` to UTF-8 with `cd`; on bad bytes returns false and
// sets *bad to the offset of the first byte that does not convert.
bool gb18030_to_utf8(void* cd, std::string_view in, std::string& out, std::size_t* bad) {
  auto c = static_cast<iconv_t>(cd);
  iconv(c, nullptr, nullptr, nullptr, nullptr);  // initial state
  out.assign(in.size() * 2 + 8, '\0');           // a GB18030 character never grows more than 1.5x
  char* src = const_cast<char*>(in.data());
  std::size_t src_left = in.size();
  char* dst = &out[0];
  std::size_t dst_left = out.size();
  if (iconv(c, &src, &src_left, &dst, &dst_left) == static_cast<std::size_t>(-1)) {
    *bad = in.size() - src_left;
    return false;
  }
  out.resize(out.size() - dst_left);
  return true;
}

void* open_gb18030() {
  iconv_t cd = iconv_open("UTF-8", "GB18030");
  if (cd == reinterpret_cast<iconv_t>(-1))
    throw InputError("GB18030", "this C library cannot convert GB18030 (iconv_open failed)");
  return cd;
}

// Trims spaces (ASCII and the full-width U+3000 that Chinese input methods type).
std::string trim_spaces(const std::string& s) {
  std::size_t b = 0, e = s.size();
  for (;;) {
    if (b < e && s[b] == ' ') {
      ++b;
    } else if (e - b >= 3 && s.compare(b, 3, "\xE3\x80\x80") == 0) {
      b += 3;
    } else {
      break;
    }
  }
  for (;;) {
    if (e > b && s[e - 1] == ' ') {
      --e;
    } else if (e - b >= 3 && s.compare(e - 3, 3, "\xE3\x80\x80") == 0) {
      e -= 3;
    } else {
      break;
    }
  }
  return s.substr(b, e - b);
}

}  // namespace

std::string CsvReader::from_gb18030(const CsvRow& row, const std::string& field) const {
  std::string out;
  std::size_t bad = 0;
  if (!gb18030_to_utf8(iconv_, field, out, &bad)) {
    fail(row.line, row.fields.size() + 1,
         "not valid GB18030 (bytes " + hex_bytes(field, bad) +
             "); is the file in another encoding? (UTF-8: leave out --encoding)");
  }
  return out;
}

std::string CsvReader::not_utf8_message(const std::string& field, std::size_t at) {
  std::string m = "not valid UTF-8 (byte " + hex_byte(static_cast<unsigned char>(field[at])) + ")";
  if (saw_utf8_text_) {
    return m +
           ", while earlier lines hold UTF-8 text: the file mixes encodings; save it again "
           "as UTF-8";
  }
  // The error ends the read: the next MiB may be read to tell what the file
  // is (whole lines only: LF is never part of a GB18030 character).
  void* cd = open_gb18030();
  std::string out, rest;
  std::size_t bad = 0;
  bool gb = gb18030_to_utf8(cd, field, out, &bad);
  if (gb) {
    constexpr std::size_t kSniff = 1 << 20;
    rest.resize(kSniff);
    in_->read(&rest[0], kSniff);
    std::size_t got = static_cast<std::size_t>(in_->gcount());
    if (in_ != file_ && got < kSniff) {  // the header line, then the file after it
      file_->read(&rest[got], static_cast<std::streamsize>(kSniff - got));
      got += static_cast<std::size_t>(file_->gcount());
    }
    rest.resize(got);
    if (got == kSniff) rest.resize(rest.rfind('\n') == std::string::npos ? 0 : rest.rfind('\n'));
    gb = gb18030_to_utf8(cd, rest, out, &bad);
  }
  iconv_close(static_cast<iconv_t>(cd));
  if (gb) {
    return m +
           "; the file looks like GB18030/GBK (Excel on Chinese Windows): give --encoding "
           "gb18030";
  }
  return m + "; save the file as UTF-8 (or give --encoding gb18030 if it is GB18030/GBK)";
}

void CsvReader::end_field(CsvRow& row, std::string& field) {
  if (field.size() > kMaxFieldBytes) {
    fail(row.line, row.fields.size() + 1,
         "a field longer than " + std::to_string(kMaxFieldBytes) + " bytes");
  }
  if (format_.encoding == TextEncoding::gb18030) {
    if (!is_ascii(field)) field = from_gb18030(row, field);
  } else if (!is_ascii(field)) {
    const std::size_t at = invalid_utf8_at(field);
    if (at != std::string_view::npos)
      fail(row.line, row.fields.size() + 1, not_utf8_message(field, at));
    saw_utf8_text_ = true;
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
  while ((c = in_->get()) != EOF) {
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
        if (in_->peek() == '"') {
          in_->get();
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
    } else if (ch == delimiter_) {
      end_field(row, field);
      was_quoted = false;
    } else if (ch == '\r') {
      if (in_->peek() != '\n')
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

std::string CsvReader::raw_header_line() {
  std::string raw;
  bool quoted = false;
  int c;
  while ((c = in_->get()) != EOF) {
    raw += static_cast<char>(c);
    if (c == '"') quoted = !quoted;
    if (c == '\n' && !quoted) break;
    if (raw.size() > kMaxFieldBytes * 4) fail(1, 0, "the header line is longer than 256 KiB");
  }
  return raw;
}

const std::vector<std::string>& CsvReader::read_header(const AliasTable* aliases) {
  CsvRow row;
  if (first_) {
    first_ = false;
    if (in_->peek() == 0xFF || in_->peek() == 0xFE) {
      fail(1, 1, "the file starts with a UTF-16 byte order mark; save it as UTF-8");
    }
    // UTF-8 byte order mark, as Excel writes it.
    if (in_->peek() == 0xEF) {
      char bom[3];
      in_->read(bom, 3);
      if (!(static_cast<unsigned char>(bom[1]) == 0xBB &&
            static_cast<unsigned char>(bom[2]) == 0xBF)) {
        fail(1, 1, "the file starts with bytes that are not a UTF-8 byte order mark");
      }
      if (format_.encoding == TextEncoding::gb18030) {
        fail(1, 1,
             "the file starts with a UTF-8 byte order mark, but GB18030 was asked for "
             "(--encoding gb18030): it is UTF-8; leave out --encoding");
      }
    }
    if (format_.encoding == TextEncoding::gb18030) iconv_ = open_gb18030();
  }
  // The delimiter: what the header line uses outside quotes (docs/office-data.md).
  std::string raw = raw_header_line();
  if (format_.delimiter == TableDelimiter::detect) {
    bool comma = false, tab = false, quoted = false;
    for (char ch : raw) {
      if (ch == '"') quoted = !quoted;
      comma = comma || (!quoted && ch == ',');
      tab = tab || (!quoted && ch == '\t');
    }
    if (comma && tab) {
      fail(1, 0,
           "the header line has both commas and tabs: is the file comma- or tab-separated? "
           "Give --delimiter comma or --delimiter tab");
    }
    delimiter_ = tab ? '\t' : ',';
  }
  std::istringstream head(raw);
  std::istream* rest = in_;
  in_ = &head;
  const bool got = read_record(row);
  in_ = rest;
  if (!got || (row.fields.size() == 1 && row.fields[0].empty())) {
    fail(1, 0, "the header row is missing (the file is empty)");
  }
  header_ = row.fields;
  index_.clear();
  for (std::size_t i = 0; i < header_.size(); ++i) {
    header_[i] = trim_spaces(header_[i]);  // Excel headers often carry spaces
    if (header_[i].empty()) fail(row.line, i + 1, "empty column name in the header");
    const std::string name(aliases ? aliases->canonical(header_[i]) : header_[i]);
    const auto [it, added] = index_.emplace(name, static_cast<int>(i));
    if (added) continue;
    const std::size_t first = static_cast<std::size_t>(it->second);
    if (header_[first] == header_[i])
      fail(row.line, i + 1, "column \"" + header_[i] + "\" appears twice in the header");
    fail(row.line, i + 1,
         "columns \"" + header_[first] + "\" (column " + std::to_string(first + 1) + ") and \"" +
             header_[i] + "\" (column " + std::to_string(i + 1) + ") both name " + name +
             "; keep one of them");
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
    // Nor is a row of empty fields (",,,") after the data, as Excel leaves
    // them; before more data it is an error (a deleted row? a missing one?).
    bool all_empty = true;
    for (const auto& f : row.fields) all_empty = all_empty && f.empty();
    if (all_empty) {
      if (empty_row_line_ == 0) empty_row_line_ = row.line;
      continue;
    }
    if (empty_row_line_ != 0) {
      fail(empty_row_line_, 0,
           "an empty row between data rows (line " + std::to_string(row.line) +
               " has data again); delete the row or fill it in");
    }
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

namespace canbao {

void check_table_text(std::istream& in, const std::string& source, const TableFormat& format) {
  detail::CsvReader csv(in, source, format);
  csv.read_header();
  detail::CsvRow row;
  while (csv.next_record(row)) {
  }
}

}  // namespace canbao
