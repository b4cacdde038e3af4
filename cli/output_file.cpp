#include "output_file.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <canbao/error.hpp>

namespace canbao::cli {

OutputFile::OutputFile(std::string path, std::string option)
    : path_(std::move(path)), option_(std::move(option)) {
  // A device or pipe (--out /dev/stdout, a named pipe) cannot be replaced by a
  // rename: write to it directly.
  struct stat st;
  if (stat(path_.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    out_.open(path_, std::ios::binary);
    if (!out_) throw ArgumentError(option_, "cannot write \"" + path_ + "\"");
    return;
  }
  const auto slash = path_.rfind('/');
  const std::string dir = slash == std::string::npos ? "" : path_.substr(0, slash + 1);
  const std::string base = slash == std::string::npos ? path_ : path_.substr(slash + 1);
  if (base.empty()) throw ArgumentError(option_, "\"" + path_ + "\" names a directory, not a file");
  std::string name = dir + "." + base + ".tmp-XXXXXX";
  std::vector<char> buf(name.begin(), name.end());
  buf.push_back('\0');
  const int fd = mkstemp(buf.data());
  if (fd < 0) {
    throw ArgumentError(option_, "cannot write \"" + path_ + "\" (" + std::strerror(errno) + ")");
  }
  temp_ = buf.data();
  // mkstemp makes the file 0600; give it the mode a plain open would (0666
  // less the umask), as the file it replaces would have had.
  const mode_t mask = umask(0);
  umask(mask);
  fchmod(fd, 0666 & ~mask);
  close(fd);
  out_.open(temp_, std::ios::binary | std::ios::trunc);
  if (!out_) {
    std::remove(temp_.c_str());
    throw ArgumentError(option_, "cannot write \"" + path_ + "\"");
  }
}

OutputFile::~OutputFile() {
  if (committed_) return;
  out_.close();
  if (!temp_.empty()) std::remove(temp_.c_str());
}

void OutputFile::commit() {
  out_.flush();
  out_.close();
  if (!out_) throw ArgumentError(option_, "writing \"" + path_ + "\" failed (disk full?)");
  if (temp_.empty()) {  // written directly (a device or pipe)
    committed_ = true;
    return;
  }
  if (std::rename(temp_.c_str(), path_.c_str()) != 0) {
    throw ArgumentError(option_, "cannot write \"" + path_ + "\" (" + std::strerror(errno) + ")");
  }
  committed_ = true;
}

}  // namespace canbao::cli
