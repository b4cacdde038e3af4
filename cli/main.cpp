// canbao — evaluate pension enrollment-campaign policies from the command line.
// Exit codes: 0 success, 1 the input is wrong (invalid policy, bad CSV, failed
// test case), 2 usage error, 3 internal error.
#include <fstream>
#include <iostream>
#include <sstream>

#include <canbao/detail/message_text.hpp>
#include <canbao/error.hpp>
#include <canbao/version.hpp>

#include "command.hpp"
#include "table_input.hpp"

namespace canbao::cli {

std::map<std::string, Command>& registry() {
  static std::map<std::string, Command> commands;
  return commands;
}

Args::Args(const std::vector<std::string>& argv, const std::vector<std::string>& value_options,
           const std::vector<std::string>& flags) {
  auto is = [](const std::vector<std::string>& list, const std::string& s) {
    for (const auto& x : list) {
      if (x == s) return true;
    }
    return false;
  };
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a.size() > 2 && a.compare(0, 2, "--") == 0) {
      std::string name = a, value;
      const auto eq = a.find('=');
      bool has_value = false;
      if (eq != std::string::npos) {
        name = a.substr(0, eq);
        value = a.substr(eq + 1);
        has_value = true;
      }
      if (is(flags, name)) {
        if (has_value) throw ArgumentError(name, "takes no value");
        flags_.push_back(name);
      } else if (is(value_options, name)) {
        if (!has_value) {
          if (i + 1 >= argv.size()) throw ArgumentError(name, "expects a value");
          value = argv[++i];
        }
        values_.emplace(name, value);
      } else {
        throw ArgumentError(name, "unknown option (see --help)");
      }
    } else {
      positional_.push_back(a);
    }
  }
}

bool Args::flag(const std::string& name) const {
  for (const auto& f : flags_) {
    if (f == name) return true;
  }
  return false;
}

std::optional<std::string> Args::value(const std::string& name) const {
  auto range = values_.equal_range(name);
  if (range.first == range.second) return std::nullopt;
  if (std::next(range.first) != range.second) throw ArgumentError(name, "given more than once");
  return range.first->second;
}

std::vector<std::string> Args::values(const std::string& name) const {
  std::vector<std::string> out;
  auto range = values_.equal_range(name);
  for (auto it = range.first; it != range.second; ++it) out.push_back(it->second);
  return out;
}

std::string Args::required(const std::string& name) const {
  auto v = value(name);
  if (!v) throw ArgumentError(name, "is required (see --help)");
  return *v;
}

std::string read_file(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ArgumentError(what, "cannot open \"" + path + "\"");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Date parse_date_option(const std::string& option, const std::string& text) {
  std::string why;
  const auto day = parse_office_date(text, &why);  // as in the tables (docs/office-data.md)
  if (!day) throw ArgumentError(option, why);
  if (!is_supported_date(*day)) throw ArgumentError(option, unsupported_date_message(*day));
  return *day;
}

}  // namespace canbao::cli

namespace {

void print_help(std::ostream& out) {
  out << "canbao " << canbao::version_string()
      << " — rules and incentives for pension enrollment-expansion campaigns\n\n"
         "usage: canbao COMMAND [ARGS...]   (canbao COMMAND --help for details)\n\ncommands:\n";
  for (const auto& [name, cmd] : canbao::cli::registry()) {
    out << "  " << name << std::string(name.size() < 12 ? 12 - name.size() : 1, ' ') << cmd.summary
        << "\n";
  }
  out << "\nexit codes: 0 ok, 1 invalid input or failed check, 2 usage error, 3 internal error\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    print_help(std::cout);
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version") {
    std::cout << "canbao " << canbao::version_string() << "\n";
    return 0;
  }
  auto& commands = canbao::cli::registry();
  auto it = commands.find(args[0]);
  if (it == commands.end()) {
    std::cerr << "canbao: unknown command \"" << args[0] << "\"\n\n";
    print_help(std::cerr);
    return 2;
  }
  std::vector<std::string> rest(args.begin() + 1, args.end());
  for (const auto& a : rest) {
    if (a == "--help" || a == "-h") {
      std::cout << it->second.usage;
      if (canbao::cli::usage_reads_tables(it->second.usage))
        std::cout << canbao::cli::kTableOptionsHelp;
      return 0;
    }
  }
  try {
    return it->second.run(rest, std::cout, std::cerr);
  } catch (const canbao::ArgumentError& e) {
    std::cerr << "canbao " << args[0] << ": " << e.what() << "\n(see canbao " << args[0]
              << " --help)\n";
    return 2;
  } catch (const canbao::Error& e) {
    std::cerr << "canbao " << args[0] << ": " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    // Not a canbao::Error, so not masked on the way: mask it here.
    std::cerr << "canbao " << args[0] << ": internal error: "
              << canbao::detail::valid_utf8(canbao::detail::mask_id_numbers(e.what())) << "\n";
    return 3;
  }
}
