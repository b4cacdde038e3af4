// Shared by the libFuzzer harnesses (docs/reliability.md). A harness feeds
// bytes to one entry point; a user-facing error (canbao::Error of any kind but
// internal, or a C status other than CANBAO_INTERNAL) is a fine answer, and
// anything else — another exception, CANBAO_INTERNAL, a sanitizer report — is a
// crash that libFuzzer saves as a reproducer.
#pragma once

#include <canbao.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <canbao/error.hpp>

namespace canbao_fuzz {

// The source tree, for the example policies the harnesses load once.
inline std::string source_path(const std::string& relative) {
  return std::string(CANBAO_SOURCE_DIR) + "/" + relative;
}

inline std::string read_source_file(const std::string& relative) {
  std::ifstream in(source_path(relative), std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "fuzz: cannot open %s\n", source_path(relative).c_str());
    std::abort();
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

[[noreturn]] inline void crash(const char* what, const char* detail) {
  std::fprintf(stderr, "fuzz: %s: %s\n", what, detail);
  std::fflush(stderr);
  __builtin_trap();
}

// Runs `body`; only canbao's user-facing errors may leave it.
template <class Body>
void expect_user_facing(Body&& body) {
  try {
    body();
  } catch (const canbao::Error& e) {
    if (e.kind() == canbao::ErrorKind::internal) crash("internal error", e.what());
  } catch (const std::exception& e) {
    crash("exception that is not a canbao::Error", e.what());
  } catch (...) {
    crash("unknown exception", "");
  }
}

// A C ABI status: CANBAO_INTERNAL is "a bug in canbao".
inline void expect_status(canbao_status status) {
  if (status == CANBAO_INTERNAL) crash("CANBAO_INTERNAL", canbao_last_error());
}

}  // namespace canbao_fuzz
