#include "detail/csv.hpp"

#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <iterator>

#include <canbao/detail/message_text.hpp>

namespace canbao::detail {
namespace {
void* open_gb18030();
}  // namespace

CsvReader::CsvReader(std::istream& in, std::string source, TableFormat format)
    : owned_(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()),
      source_(std::move(source)),
      format_(format) {
  begin_ = owned_.data();
  file_end_ = begin_ + owned_.size();
  start();
}

CsvReader::CsvReader(std::string_view bytes, std::string source, TableFormat format)
    : source_(std::move(source)), format_(format) {
  begin_ = bytes.data();
  file_end_ = begin_ + bytes.size();
  start();
}

CsvReader::CsvReader(const CsvReader& whole, std::string_view part, std::size_t line)
    : source_(whole.source_), format_(whole.format_) {
  begin_ = part.data();
  file_end_ = begin_ + part.size();
  start();
  delimiter_ = whole.delimiter_;
  special_[static_cast<unsigned char>(',')] = special_[static_cast<unsigned char>('\t')] = false;
  special_[static_cast<unsigned char>(delimiter_)] = true;
  line_ = line;
  first_ = false;
  header_ = whole.header_;
  index_ = whole.index_;
  if (format_.encoding == TextEncoding::gb18030) iconv_ = open_gb18030();
}

void CsvReader::start() {
  pos_ = begin_;
  end_ = file_end_;
  if (format_.delimiter == TableDelimiter::tab) delimiter_ = '\t';
  for (unsigned char c : {'\0', '"', '\r', '\n'}) special_[c] = true;
  special_[static_cast<unsigned char>(delimiter_)] = true;
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

std::string CsvReader::not_utf8_message(std::string_view field, std::size_t at, const char* next) {
  std::string m = "not valid UTF-8 (byte " + hex_byte(static_cast<unsigned char>(field[at])) + ")";
  if (saw_utf8_text_) {
    return m +
           ", while earlier lines hold UTF-8 text: the file mixes encodings; save it again "
           "as UTF-8";
  }
  // The error ends the read: the next MiB may be read to tell what the file
  // is (whole lines only: LF is never part of a GB18030 character).
  void* cd = open_gb18030();
  std::string out;
  std::size_t bad = 0;
  bool gb = gb18030_to_utf8(cd, field, out, &bad);
  if (gb) {
    constexpr std::size_t kSniff = 1 << 20;
    std::string_view rest(next, std::min<std::size_t>(kSniff, file_end_ - next));
    if (rest.size() == kSniff)
      rest = rest.substr(0, rest.rfind('\n') == rest.npos ? 0 : rest.rfind('\n'));
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

void CsvReader::end_field(CsvFields& row, std::string_view field, bool in_scratch,
                          std::size_t offset, const char* next) {
  const std::size_t column = row.fields.size() + 1;
  if (field.size() > kMaxFieldBytes)
    fail(row.line, column, "a field longer than " + std::to_string(kMaxFieldBytes) + " bytes");
  if (!is_ascii(field)) {
    if (format_.encoding == TextEncoding::gb18030) {
      std::string out;
      std::size_t bad = 0;
      if (!gb18030_to_utf8(iconv_, field, out, &bad)) {
        fail(row.line, column,
             "not valid GB18030 (bytes " + hex_bytes(field, bad) +
                 "); is the file in another encoding? (UTF-8: leave out --encoding)");
      }
      in_scratch = true;
      offset = row.scratch.size();
      row.scratch += out;
      field = std::string_view(row.scratch).substr(offset);
    } else {
      const std::size_t at = invalid_utf8_at(field);
      if (at != std::string_view::npos) fail(row.line, column, not_utf8_message(field, at, next));
      saw_utf8_text_ = true;
    }
  }
  if (row.fields.size() >= kMaxFields)
    fail(row.line, column, "more than " + std::to_string(kMaxFields) + " fields in one record");
  if (in_scratch) {
    scratch_fields_.insert(scratch_fields_.end(), {row.fields.size(), offset, field.size()});
  }
  row.fields.push_back(field);
}

std::string_view CsvReader::quoted_field(CsvFields& row) {
  const std::size_t column = row.fields.size() + 1;
  const std::size_t quote_line = line_ + 1;
  const char* p = pos_ + 1;
  const char* start = p;
  std::size_t size = 0;    // the field's size once unescaped
  bool escaped = false;    // a "" was seen: the field is being built in row.scratch
  std::size_t offset = 0;  // where in row.scratch
  for (;;) {
    if (p == end_) {
      fail(quote_line, column,
           "the quoted field opened on this line is not closed before the end of the file");
    }
    const char ch = *p;
    if (ch == '\0') {
      fail(line_ + 1, column,
           "a NUL byte (0x00); save the file as UTF-8 text (UTF-16 is not supported)");
    }
    if (size > kMaxFieldBytes) {
      fail(quote_line, column,
           "a field longer than " + std::to_string(kMaxFieldBytes) +
               " bytes (is a quote not closed?)");
    }
    if (ch == '"') {
      if (p + 1 == end_ || p[1] != '"') break;
      if (!escaped) {
        escaped = true;
        offset = row.scratch.size();
        row.scratch.append(start, p);
      }
      row.scratch += '"';
      p += 2;
      ++size;
      continue;
    }
    if (ch == '\n') ++line_;
    if (escaped) row.scratch += ch;
    ++p;
    ++size;
  }
  pos_ = p + 1;  // after the closing quote
  if (escaped) {
    scratch_offset_ = offset;
    return std::string_view(row.scratch).substr(offset);
  }
  scratch_offset_ = kNotInScratch;
  return std::string_view(start, size);
}

bool CsvReader::read_record(CsvFields& row) {
  row.fields.clear();
  row.scratch.clear();
  scratch_fields_.clear();
  row.line = line_ + 1;
  if (pos_ == end_) return false;
  const char* p = pos_;
  for (;;) {  // one field a turn
    std::string_view field;
    bool in_scratch = false;
    std::size_t offset = 0;
    if (p != end_ && *p == '"') {
      pos_ = p;
      field = quoted_field(row);
      p = pos_;
      in_scratch = scratch_offset_ != kNotInScratch;
      offset = scratch_offset_;
      // After the closing quote: the delimiter, the line end or the file end.
      if (p != end_ && *p != delimiter_ && *p != '\n') {
        if (*p == '\0') {
          fail(line_ + 1, row.fields.size() + 1,
               "a NUL byte (0x00); save the file as UTF-8 text (UTF-16 is not supported)");
        }
        if (*p != '\r') fail(row.line, row.fields.size() + 1, "text after a closing quote");
      }
    } else {
      const char* start = p;
      while (p != end_ && !special_[static_cast<unsigned char>(*p)]) ++p;
      const std::size_t size = static_cast<std::size_t>(p - start);
      // The first of a NUL byte or the byte past kMaxFieldBytes is the error.
      if (p != end_ && *p == '\0' && size <= kMaxFieldBytes + 1) {
        fail(line_ + 1, row.fields.size() + 1,
             "a NUL byte (0x00); save the file as UTF-8 text (UTF-16 is not supported)");
      }
      if (size > kMaxFieldBytes) {
        fail(row.line, row.fields.size() + 1,
             "a field longer than " + std::to_string(kMaxFieldBytes) + " bytes");
      }
      if (p != end_ && *p == '"')
        fail(row.line, row.fields.size() + 1, "a quote inside an unquoted field");
      field = std::string_view(start, size);
    }
    if (p == end_) {
      ++line_;
      end_field(row, field, in_scratch, offset, p);
      break;
    }
    if (*p == '\r') {
      if (p + 1 == end_ || p[1] != '\n') {
        fail(line_ + 1, row.fields.size() + 1,
             "a carriage return without a line feed (lines end in LF or CRLF)");
      }
      ++p;
    }
    if (*p == '\n') {
      ++line_;
      end_field(row, field, in_scratch, offset, p + 1);
      ++p;
      break;
    }
    end_field(row, field, in_scratch, offset, p + 1);  // the delimiter
    ++p;
  }
  pos_ = p;
  for (std::size_t i = 0; i < scratch_fields_.size(); i += 3) {
    row.fields[scratch_fields_[i]] =
        std::string_view(row.scratch).substr(scratch_fields_[i + 1], scratch_fields_[i + 2]);
  }
  return true;
}

const char* CsvReader::raw_header_end() {
  bool quoted = false;
  const char* p = pos_;
  for (; p != end_; ++p) {
    if (*p == '"') quoted = !quoted;
    if (*p == '\n' && !quoted) return p + 1;
    if (static_cast<std::size_t>(p - pos_) + 1 > kMaxFieldBytes * 4)
      fail(1, 0, "the header line is longer than 256 KiB");
  }
  return p;
}

const std::vector<std::string>& CsvReader::read_header(const AliasTable* aliases) {
  CsvFields row;
  if (first_) {
    first_ = false;
    const auto at = [&](std::size_t i) {
      return pos_ + i < end_ ? static_cast<unsigned char>(pos_[i]) : 0x100u;
    };
    if (at(0) == 0xFF || at(0) == 0xFE) {
      fail(1, 1, "the file starts with a UTF-16 byte order mark; save it as UTF-8");
    }
    // UTF-8 byte order mark, as Excel writes it.
    if (at(0) == 0xEF) {
      if (!(at(1) == 0xBB && at(2) == 0xBF)) {
        fail(1, 1, "the file starts with bytes that are not a UTF-8 byte order mark");
      }
      pos_ += 3;
      if (format_.encoding == TextEncoding::gb18030) {
        fail(1, 1,
             "the file starts with a UTF-8 byte order mark, but GB18030 was asked for "
             "(--encoding gb18030): it is UTF-8; leave out --encoding");
      }
    }
    if (format_.encoding == TextEncoding::gb18030) iconv_ = open_gb18030();
  }
  // The delimiter: what the header line uses outside quotes (docs/office-data.md).
  const char* raw_end = raw_header_end();
  if (format_.delimiter == TableDelimiter::detect) {
    bool comma = false, tab = false, quoted = false;
    for (const char* p = pos_; p != raw_end; ++p) {
      if (*p == '"') quoted = !quoted;
      comma = comma || (!quoted && *p == ',');
      tab = tab || (!quoted && *p == '\t');
    }
    if (comma && tab) {
      fail(1, 0,
           "the header line has both commas and tabs: is the file comma- or tab-separated? "
           "Give --delimiter comma or --delimiter tab");
    }
    delimiter_ = tab ? '\t' : ',';
    special_[static_cast<unsigned char>(',')] = special_[static_cast<unsigned char>('\t')] = false;
    special_[static_cast<unsigned char>(delimiter_)] = true;
  }
  end_ = raw_end;  // the header record ends with its line, as the delimiter was decided
  const bool got = read_record(row);
  pos_ = raw_end;
  end_ = file_end_;
  if (!got || (row.fields.size() == 1 && row.fields[0].empty())) {
    fail(1, 0, "the header row is missing (the file is empty)");
  }
  header_.assign(row.fields.begin(), row.fields.end());
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

bool CsvReader::next_record_view(CsvFields& row) {
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

bool CsvReader::next_view(CsvFields& row) {
  if (!next_record_view(row)) return false;
  if (row.fields.size() != header_.size())
    fail(row.line, 0, field_count_message(row.fields.size()));
  return true;
}

bool CsvReader::next_record(CsvRow& row) {
  if (!next_record_view(view_row_)) return false;
  row.line = view_row_.line;
  row.fields.assign(view_row_.fields.begin(), view_row_.fields.end());
  return true;
}

bool CsvReader::next(CsvRow& row) {
  if (!next_view(view_row_)) return false;
  row.line = view_row_.line;
  row.fields.assign(view_row_.fields.begin(), view_row_.fields.end());
  return true;
}

std::string CsvReader::field_count_message(std::size_t fields) const {
  return "expected " + std::to_string(header_.size()) + " fields as in the header, got " +
         std::to_string(fields);
}

std::string CsvReader::field_count_message(const CsvRow& row) const {
  return field_count_message(row.fields.size());
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
