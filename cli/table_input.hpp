// The options every command that reads a table (progress or roster CSV)
// takes: --encoding and --delimiter (docs/office-data.md), and the one line
// that lists the columns a reader ignored.
#pragma once

#include <iosfwd>
#include <string>

#include <canbao/table_format.hpp>

#include "command.hpp"

namespace canbao::cli {

// The option names, to add to a command's value options.
inline const char* const kEncodingOption = "--encoding";
inline const char* const kDelimiterOption = "--delimiter";

// What `canbao COMMAND --help` adds after the usage of a command that reads a
// table (its usage names --progress or --roster): main.cpp prints it, so every
// such command documents the options in the same words.
extern const char* const kTableOptionsHelp;
bool usage_reads_tables(const std::string& usage);

// --encoding and --delimiter as given (ArgumentError naming the option for a
// value it does not know).
TableFormat table_format(const Args& args);
TableFormat table_format(const std::string* encoding, const std::string* delimiter);

// "canbao: progress.csv: ignored columns: name, 备注" on `err`, once per
// file, when the reader ignored any.
void tell_ignored_columns(std::ostream& err, const std::string& file, const TableNotes& notes,
                          const char* what = "ignored columns");

}  // namespace canbao::cli
