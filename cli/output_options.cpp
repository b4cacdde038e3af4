#include "output_options.hpp"

#include <ostream>

#include <canbao/error.hpp>

#include "output_file.hpp"

namespace canbao::cli {

bool csv_bom(const Args& args, bool to_file) {
  const bool on = args.flag("--bom"), off = args.flag("--no-bom");
  if (on && off) throw ArgumentError("--bom", "does not go with --no-bom");
  if (on) return true;
  if (off) return false;
  return to_file;
}

void require_out_for_xlsx(const std::string& format, const std::optional<std::string>& out_path) {
  if (format == "xlsx" && !out_path)
    throw ArgumentError("--format/--out",
                        "xlsx is a binary file: give --out FILE (it is never written to the "
                        "terminal or standard output)");
}

void emit(std::ostream& out, const std::optional<std::string>& out_path, const std::string& text,
          bool bom) {
  if (!out_path) {
    if (bom) out << kUtf8Bom;
    out << text;
    return;
  }
  OutputFile file(*out_path, "--out");
  if (bom) file.stream() << kUtf8Bom;
  file.stream() << text;
  file.commit();
}

}  // namespace canbao::cli
