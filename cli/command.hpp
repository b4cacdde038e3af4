// The `canbao` command: each subcommand lives in its own cli/cmd_<name>.cpp and
// registers itself with CANBAO_REGISTER_COMMAND, so main.cpp needs no edits.
#pragma once

#include <functional>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <canbao/date.hpp>

namespace canbao::cli {

// Parsed arguments: positionals plus --name value / --flag options.
class Args {
 public:
  // `flags` are options without a value (e.g. "--help"); everything else that
  // starts with "--" takes one value ("--as-of 2021-09-30" or "--as-of=2021-09-30").
  Args(const std::vector<std::string>& argv, const std::vector<std::string>& value_options,
       const std::vector<std::string>& flags);
  const std::vector<std::string>& positional() const { return positional_; }
  bool flag(const std::string& name) const;
  std::optional<std::string> value(const std::string& name) const;
  std::string required(const std::string& name) const;  // throws ArgumentError naming the option
  // Repeated options (--patch a --patch b).
  std::vector<std::string> values(const std::string& name) const;

 private:
  std::vector<std::string> positional_;
  std::multimap<std::string, std::string> values_;
  std::vector<std::string> flags_;
};

struct Command {
  std::string name;
  std::string summary;  // one line for `canbao --help`
  std::string usage;    // full `canbao NAME --help` text
  // argv excludes the program and command names. Returns the exit code.
  std::function<int(const std::vector<std::string>& argv, std::ostream& out, std::ostream& err)>
      run;
};

std::map<std::string, Command>& registry();

struct Registrar {
  explicit Registrar(Command c) { registry().emplace(c.name, std::move(c)); }
};

#define CANBAO_CLI_CONCAT2(a, b) a##b
#define CANBAO_CLI_CONCAT(a, b) CANBAO_CLI_CONCAT2(a, b)
#define CANBAO_REGISTER_COMMAND(...) \
  static ::canbao::cli::Registrar CANBAO_CLI_CONCAT(canbao_cli_registrar_, __LINE__)(__VA_ARGS__)

// Reads a whole file; ArgumentError naming `what` when it cannot be opened.
std::string read_file(const std::string& path, const std::string& what);

// A date option (--as-of): YYYY-MM-DD or another form parse_office_date reads
// (2021/6/1, 2021年6月1日, 20210601), inside supported_dates(); ArgumentError
// naming `option` otherwise ("--as-of: 2300-01-01 is outside the supported
// range 1900-01-01..2200-12-31").
Date parse_date_option(const std::string& option, const std::string& text);

}  // namespace canbao::cli
