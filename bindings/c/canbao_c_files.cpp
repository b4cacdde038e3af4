// The C ABI's door for a policy with the files it names (include/canbao.h,
// canbao_policy_from_json_files): a unit table handed over as bytes, so a C
// host loads a tabled policy without the library opening any file
// (docs/units-table.md). Same conventions as every entry (c_abi.hpp): a
// status, a thread-local message naming the argument, no exception crosses.
#include <canbao.h>

#include <string>

#include <canbao/error.hpp>
#include <canbao/policy.hpp>

#include "c_abi.hpp"

using canbao::detail::guarded;
using canbao::detail::null_argument;

namespace {

std::string file_name(std::size_t i) { return "files[" + std::to_string(i) + "].name"; }

}  // namespace

extern "C" {

canbao_status canbao_policy_from_json_files(const char* json, size_t len,
                                            const canbao_policy_file* files, size_t n_files,
                                            canbao_policy** out) {
  return guarded([&] {
    if (out == nullptr) return null_argument("out");
    *out = nullptr;
    if (json == nullptr) return null_argument("json");
    if (n_files > 0 && files == nullptr) return null_argument("files");
    canbao::PolicyFiles given;
    for (size_t i = 0; i < n_files; ++i) {
      const canbao_policy_file& f = files[i];
      if (f.name == nullptr) return null_argument(file_name(i).c_str());
      if (f.bytes == nullptr && f.size > 0) {
        return null_argument(("files[" + std::to_string(i) + "].bytes").c_str());
      }
      if (*f.name == '\0') throw canbao::ArgumentError(file_name(i), "is empty");
      // Two files of one name: which one the policy meant is unknowable.
      const auto [at, added] =
          given.tables.emplace(f.name, f.size > 0 ? std::string(f.bytes, f.size) : std::string());
      if (!added) {
        std::size_t first = 0;
        while (std::string(files[first].name) != at->first) ++first;
        // An Error, not fail(): its message masks an ID number in the name.
        throw canbao::ArgumentError(file_name(i),
                                    "\"" + at->first + "\" is also " + file_name(first));
      }
    }
    return canbao::detail::give_policy(canbao::load_policy(std::string(json, len), given), out);
  });
}

}  // extern "C"
