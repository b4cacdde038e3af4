// The unit table a policy file names, read from the policy file's own folder
// and nowhere else (docs/units-table.md): the library touches no file the host
// did not hand it, and a policy file hands over only its own folder.
#include <fstream>

#include <canbao/error.hpp>

#include "detail/policy_reader.hpp"
#include "detail/unit_memory.hpp"
#include "detail/whole_file.hpp"

namespace canbao::detail {

namespace {

// Why `name` may not be read beside the policy, or "".
std::string refusal(const std::string& name) {
  if (name.empty()) return "the name is empty";
  if (name.find('\0') != std::string::npos) return "the name contains a NUL byte";
  if (name.front() == '/') return "an absolute path";
  if (name.find('\\') != std::string::npos) return "a backslash";
  if (name.find(':') != std::string::npos) return "a colon (a drive or URL)";
  std::size_t start = 0;
  while (true) {
    const std::size_t end = name.find('/', start);
    const std::string part = name.substr(start, end == std::string::npos ? end : end - start);
    if (part.empty()) return "an empty part (\"//\" or a trailing \"/\")";
    if (part == "..") return "\"..\"";
    if (part == ".") return "\".\"";
    if (end == std::string::npos) return "";
    start = end + 1;
  }
}

}  // namespace

PolicyFiles policy_files_beside(const std::string& policy_path, const json& doc) {
  PolicyFiles files;
  if (!doc.is_object()) return files;
  const auto units = doc.find("units");
  if (units == doc.end() || !units->is_object()) return files;
  const auto table = units->find("table");
  // A wrong type is reported by the reader (unit_table.cpp).
  if (table == units->end() || !table->is_string()) return files;
  const std::string& name = table->get_ref<const std::string&>();
  const std::string why = refusal(name);
  if (!why.empty()) {
    fail_at("units.table", in_quotes(name) +
                               ": a unit table is read from the policy file's own "
                               "folder only, so its name is relative, without \"..\", \".\", a "
                               "backslash or a colon; this one has " +
                               why);
  }
  const std::size_t slash = policy_path.find_last_of('/');
  const std::string full =
      slash == std::string::npos ? name : policy_path.substr(0, slash + 1) + name;
  std::ifstream in(full, std::ios::binary);
  if (!in) fail_at("units.table", "cannot open the unit table " + in_quotes(full));
  std::string text;
  if (!read_whole_file_huge(in, text))
    fail_at("units.table", "cannot read the unit table " + in_quotes(full));
  files.tables.emplace(name, std::move(text));
  return files;
}

}  // namespace canbao::detail
