#include "detail/mapped_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <utility>

#include <canbao/error.hpp>

namespace canbao::detail {

MappedFile::MappedFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw InputError(path, std::string("cannot open the file: ") + std::strerror(errno));
  struct stat st {};
  const bool known = ::fstat(fd, &st) == 0;
  if (known && S_ISDIR(st.st_mode)) {
    ::close(fd);
    throw InputError(path, "is a folder, not a file");
  }
  if (known && S_ISREG(st.st_mode) && st.st_size > 0) {
    void* m = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
    if (m != MAP_FAILED) {
      ::madvise(m, static_cast<std::size_t>(st.st_size), MADV_SEQUENTIAL);
      map_ = m;
      data_ = static_cast<const char*>(m);
      size_ = static_cast<std::size_t>(st.st_size);
      ::close(fd);
      return;
    }
  }
  ::close(fd);
  // Not a regular file (a pipe, /dev/stdin) or mmap refused: read it.
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "cannot open the file");
  copy_.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad()) throw InputError(path, "cannot read the file");
  data_ = copy_.data();
  size_ = copy_.size();
}

MappedFile::MappedFile(std::istream& in) {
  copy_.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  data_ = copy_.data();
  size_ = copy_.size();
}

MappedFile::~MappedFile() { release(); }

void MappedFile::release_before(const char* upto) {
  if (!map_ || upto < data_ || upto > data_ + size_) return;
  static const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  const std::size_t end = static_cast<std::size_t>(upto - data_) / page * page;
  if (end <= released_) return;
  // The mapping is private and read-only: dropped pages are read again from
  // the file if touched, never lost. A failure only keeps them.
  ::madvise(static_cast<char*>(map_) + released_, end - released_, MADV_DONTNEED);
  released_ = end;
}

const char* MappedFile::release_between(const char* from, const char* upto) const {
  if (!map_ || from < data_ || upto > data_ + size_ || upto <= from) return from;
  static const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  const std::size_t b = (static_cast<std::size_t>(from - data_) + page - 1) / page * page;
  const std::size_t e = static_cast<std::size_t>(upto - data_) / page * page;
  if (e <= b) return from;
  ::madvise(static_cast<char*>(map_) + b, e - b, MADV_DONTNEED);
  return data_ + e;
}

void MappedFile::release() {
  if (map_) ::munmap(map_, size_);
  map_ = nullptr;
}

MappedFile::MappedFile(MappedFile&& other) noexcept { *this = std::move(other); }

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  if (this == &other) return *this;
  release();
  map_ = std::exchange(other.map_, nullptr);
  copy_ = std::move(other.copy_);
  size_ = std::exchange(other.size_, 0);
  released_ = std::exchange(other.released_, 0);
  data_ = map_ ? static_cast<const char*>(map_) : copy_.data();
  other.data_ = "";
  return *this;
}

}  // namespace canbao::detail
