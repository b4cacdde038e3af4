// The bytes of a whole input file, memory-mapped so a reader can hand out
// std::string_view fields into them without copying (issue 15: a 1 M-row
// roster read at disk speed). When mapping fails (a pipe, /dev/stdin, an
// empty file) the bytes are read into memory instead; a stream is slurped.
#pragma once

#include <istream>
#include <string>
#include <string_view>

namespace canbao::detail {

class MappedFile {
 public:
  MappedFile() = default;
  // Maps `path` (InputError naming it when it cannot be opened or read).
  explicit MappedFile(const std::string& path);
  // Reads the rest of `in` into memory.
  explicit MappedFile(std::istream& in);
  ~MappedFile();
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  std::string_view bytes() const { return {data_, size_}; }
  bool mapped() const { return map_ != nullptr; }
  // A reader that is done with the bytes before `upto` (within bytes()) gives
  // their whole pages back: the memory a 1 GB file holds while it is read
  // stays small. Reading them again is allowed (they come back from the
  // file), but a reader has no reason to. Nothing for bytes not mapped.
  void release_before(const char* upto);
  // The same for a reader of a part of bytes() (one of several threads):
  // gives back the whole pages in [from, upto), touching no other part's,
  // and returns where the next call starts. Needs no lock.
  const char* release_between(const char* from, const char* upto) const;

 private:
  void release();
  void* map_ = nullptr;  // the mmap'ed region, or nullptr when copied
  const char* data_ = "";
  std::size_t size_ = 0;
  std::size_t released_ = 0;  // bytes from the start already given back
  std::string copy_;          // the bytes when not mapped
};

}  // namespace canbao::detail
