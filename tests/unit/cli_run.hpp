// Runs the built `canbao` command as a user would, for the CLI tests. ctest runs
// test cases in parallel processes, so every temporary file name carries the
// process id: fixed names in /tmp let one test read another's output.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

#include <gtest/gtest.h>

namespace canbao_test {

struct CliRun {
  int exit_code = -1;
  std::string out;     // standard output
  std::string err;     // standard error
  std::string output;  // out followed by err
};

// A path in the test temp dir unique to this process: "<tmp>canbao-<pid>-<name>".
inline std::string unique_temp_path(const std::string& name) {
  return testing::TempDir() + "canbao-" + std::to_string(getpid()) + "-" + name;
}

inline bool cli_built() { return !std::string(CANBAO_CLI_PATH).empty(); }

// `args` is appended to the command line as written (quote paths yourself).
inline CliRun run_cli(const std::string& args) {
  CliRun r;
  static int counter = 0;
  const std::string err_path = unique_temp_path("stderr-" + std::to_string(++counter) + ".txt");
  const std::string cmd =
      std::string("\"") + CANBAO_CLI_PATH + "\" " + args + " 2>\"" + err_path + "\"";
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
  const int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  {
    std::ifstream err(err_path);
    r.err.assign(std::istreambuf_iterator<char>(err), std::istreambuf_iterator<char>());
  }
  std::remove(err_path.c_str());
  r.output = r.out + r.err;
  return r;
}

}  // namespace canbao_test
