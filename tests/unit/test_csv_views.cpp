// The zero-copy CSV path (issue 15): fields as views into the input, quoted
// fields with "" unescaped into the row's scratch, the same errors as the
// stream path, and part readers that start on a given line.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include <canbao/error.hpp>

#include "detail/csv.hpp"
#include "detail/mapped_file.hpp"

namespace {

using canbao::detail::CsvFields;
using canbao::detail::CsvReader;
using canbao::detail::CsvRow;

bool inside(std::string_view field, std::string_view buffer) {
  return field.data() >= buffer.data() &&
         field.data() + field.size() <= buffer.data() + buffer.size();
}

TEST(CsvViews, PlainFieldsPointIntoTheInputAndEscapedOnesIntoScratch) {
  const std::string text = "a,b,c\r\n1,\"x,y\",\"say \"\"hi\"\"\"\n2,,\"multi\nline\"\n";
  CsvReader csv(std::string_view(text), "t.csv");
  csv.read_header();
  CsvFields row;
  ASSERT_TRUE(csv.next_view(row));
  EXPECT_EQ(row.line, 2u);
  ASSERT_EQ(row.fields.size(), 3u);
  EXPECT_EQ(row.fields[0], "1");
  EXPECT_TRUE(inside(row.fields[0], text));
  EXPECT_EQ(row.fields[1], "x,y");  // quoted without "": still a view into the input
  EXPECT_TRUE(inside(row.fields[1], text));
  EXPECT_EQ(row.fields[2], "say \"hi\"");  // "" unescaped: in scratch
  EXPECT_TRUE(inside(row.fields[2], row.scratch));
  ASSERT_TRUE(csv.next_view(row));
  EXPECT_EQ(row.line, 3u);
  EXPECT_EQ(row.fields[1], "");
  EXPECT_EQ(row.fields[2], "multi\nline");
  EXPECT_FALSE(csv.next_view(row));
}

std::string error_of(const std::string& text, bool stream) {
  try {
    std::istringstream in(text);
    CsvReader by_stream(in, "t.csv");
    CsvReader by_view(std::string_view(text), "t.csv");
    CsvReader& csv = stream ? by_stream : by_view;
    csv.read_header();
    CsvFields row;
    while (csv.next_view(row)) {
    }
  } catch (const canbao::InputError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(CsvViews, ErrorsNameTheSamePlaceAsTheStreamReader) {
  // Line 3 column 2: a NUL inside a quoted field that began on line 2.
  const std::string nul = std::string("a,b\n1,\"x\ny") + '\0' + "\"\n";
  EXPECT_EQ(error_of(nul, false), error_of(nul, true));
  EXPECT_NE(error_of(nul, false).find("t.csv:3:2"), std::string::npos) << error_of(nul, false);
  // 65,537 bytes unquoted: over kMaxFieldBytes (65,536) at line 2 column 1.
  const std::string big = "a\n" + std::string(65537, 'x') + "\n";
  EXPECT_NE(error_of(big, false).find("t.csv:2:1: a field longer than 65536 bytes"),
            std::string::npos);
  const std::string cr = "a,b\n1,2\r3\n";
  EXPECT_NE(error_of(cr, false).find("t.csv:2:2: a carriage return"), std::string::npos);
  const std::string gap = "a,b\n1,2\n,\n3,4\n";
  EXPECT_NE(error_of(gap, false).find("t.csv:3: an empty row between data rows (line 4"),
            std::string::npos);
  // Trailing ",,," rows (Excel) are not records and not errors.
  EXPECT_EQ(error_of("a,b\n1,2\n,\n,\n", false), "(no error)");
}

TEST(CsvViews, APartReaderContinuesWithTheWholeFilesLinesAndHeader) {
  const std::string text = "a\tb\n1\t2\n3\t4\n";
  CsvReader csv(std::string_view(text), "t.tsv");
  csv.read_header();
  // The part after "1\t2\n" starts on line 3 (line() is 1 after the header).
  const std::string_view rest = csv.rest();
  const std::string_view second = rest.substr(rest.find('\n') + 1);
  CsvReader part(csv, second, csv.line() + 1);
  CsvFields row;
  ASSERT_TRUE(part.next_view(row));
  EXPECT_EQ(row.line, 3u);
  EXPECT_EQ(row.fields[0], "3");
  EXPECT_EQ(row.fields[1], "4");
  EXPECT_EQ(part.column("b"), 1);
  EXPECT_FALSE(part.next_view(row));
}

TEST(CsvViews, AMappedFileHoldsTheFilesBytes) {
  const std::string path = ::testing::TempDir() + "canbao-mapped.csv";
  std::ofstream(path, std::ios::binary) << "id\n7\n";
  canbao::detail::MappedFile f(path);
  EXPECT_TRUE(f.mapped());
  EXPECT_EQ(f.bytes(), "id\n7\n");
  canbao::detail::MappedFile moved = std::move(f);
  EXPECT_EQ(moved.bytes(), "id\n7\n");
  EXPECT_THROW(canbao::detail::MappedFile(path + ".missing"), canbao::InputError);
}

}  // namespace
