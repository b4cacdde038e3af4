// Output options shared by the commands: --out FILE (written whole or not at
// all, output_file.hpp), --bom/--no-bom for CSV, and --format xlsx needing --out.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>

#include "command.hpp"

namespace canbao::cli {

// The UTF-8 byte order mark: Excel on Chinese Windows reads a CSV as UTF-8
// only when it starts with one (otherwise as GBK: garbled names).
inline constexpr const char* kUtf8Bom = "\xEF\xBB\xBF";

// Whether CSV written to a file (to_file) or standard output gets the BOM:
// --bom or --no-bom when given (both: ArgumentError); otherwise on for a file,
// which a person opens in Excel, and off for standard output, which a pipe
// feeds to a program (a BOM would stick to the first header name).
bool csv_bom(const Args& args, bool to_file);

// xlsx is binary and never goes to a terminal: ArgumentError naming
// --format/--out unless a file is given.
void require_out_for_xlsx(const std::string& format, const std::optional<std::string>& out_path);

// Writes `text` (prefixed by the BOM when `bom`) to the --out file, atomically,
// or to `out` when there is none.
void emit(std::ostream& out, const std::optional<std::string>& out_path, const std::string& text,
          bool bom);

}  // namespace canbao::cli
