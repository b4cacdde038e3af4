// An output file (--out, --rejects) written whole or not at all. The bytes go
// to a temporary file in the same directory, so the final rename is atomic;
// commit() renames it over the path. Without commit() (an error, an exception
// unwinding the command) the temporary file is removed and a file already at
// the path is left untouched: a reader never sees half an output. A path that
// is a device or a pipe (/dev/stdout) is written directly.
#pragma once

#include <fstream>
#include <string>

namespace canbao::cli {

class OutputFile {
 public:
  // `option` names the file in errors ("--out"). ArgumentError when no
  // temporary file can be created next to `path`.
  OutputFile(std::string path, std::string option);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  std::ostream& stream() { return out_; }
  // Flushes, checks that every byte was written and renames the temporary
  // file to the path; ArgumentError naming the option otherwise.
  void commit();

 private:
  std::string path_, option_, temp_;
  std::ofstream out_;
  bool committed_ = false;
};

}  // namespace canbao::cli
