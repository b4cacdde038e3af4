#include "report_command.hpp"

#include <string.h>  // memmem

#include <memory>
#include <streambuf>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <canbao/detail/message_text.hpp>

#include "output_file.hpp"
#include "output_options.hpp"

namespace canbao::cli {
namespace {

bool is_digit(char c) { return static_cast<unsigned char>(c - '0') < 10; }

// detail::mask_id_numbers(text) written to `out`, with the text between digit
// runs copied in bulk: only a run of 15 digits, or of 17 and an X (or 18),
// goes through it (a national report is a GB of mostly other characters).
// Such a run, if it starts in [i, i + 14], covers text[i + 14]: where that
// byte is no digit, the scan skips 15 bytes without looking at the others.
void write_ids_masked(std::ostream& out, std::string_view text) {
  const char* t = text.data();
  const std::size_t n = text.size();
  std::size_t from = 0, i = 0;  // i: no digit run starts before i unhandled
  while (i + 15 <= n) {
    if (!is_digit(t[i + 14])) {
      i += 15;
      continue;
    }
    std::size_t start = i + 14;  // the run around t[i + 14]
    while (start > i && is_digit(t[start - 1])) --start;
    std::size_t j = i + 15;
    while (j < n && is_digit(t[j])) ++j;
    std::size_t run = j - start;
    if (run == 17 && j < n && (t[j] == 'X' || t[j] == 'x')) run = 18;
    if (run == 15 || run == 18) {
      out.write(t + from, static_cast<std::streamsize>(start - from));
      out << detail::mask_id_numbers(text.substr(start, run));
      from = start + run;
    }
    i = start + run;
  }
  out.write(t + from, static_cast<std::streamsize>(n - from));
}

// Masks what a writer prints (write_masked) chunk by chunk on its way out, so
// a national report (a GB of JSON) is never held whole, twice. A chunk ends
// after a ',' or a newline: neither an ID-like digit run (with its X) nor the
// fingerprint contains one, so every chunk masks as the whole text would.
// Big writes (a MB of report elements) are masked where they are: only their
// ends, up to the first and after the last ',' or newline, are buffered.
class MaskingBuf : public std::streambuf {
 public:
  MaskingBuf(std::ostream& out, const CampaignInput& in)
      : out_(out), keep_(in.policy->fingerprint()) {}
  // Writes what is left.
  void finish() {
    mask(buffer_);
    buffer_.clear();
  }

 protected:
  int_type overflow(int_type c) override {
    if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
    buffer_.push_back(traits_type::to_char_type(c));
    if (buffer_.size() >= kChunk) drain_chunk();
    return c;
  }
  std::streamsize xsputn(const char* s, std::streamsize count) override {
    const std::string_view text(s, static_cast<std::size_t>(count));
    if (buffer_.size() + text.size() < kChunk) {
      buffer_.append(text);
      return count;
    }
    const std::size_t first = text.find_first_of(",\n");
    if (first == std::string_view::npos) {
      buffer_.append(text);
      drain_chunk();
      return count;
    }
    // The buffered text and `text` up to its first cut are one chunk; then
    // `text` up to its last cut; its rest waits for what follows.
    const std::size_t last = text.find_last_of(",\n");
    buffer_.append(text.substr(0, first + 1));
    mask(buffer_);
    mask(text.substr(first + 1, last - first));
    buffer_.assign(text.substr(last + 1));
    return count;
  }

 private:
  static constexpr std::size_t kChunk = 1 << 20;
  void drain_chunk() {
    const std::size_t cut = buffer_.find_last_of(",\n");
    if (cut == std::string::npos) return;
    mask(std::string_view(buffer_).substr(0, cut + 1));
    buffer_.erase(0, cut + 1);  // the rest: what followed the last cut
  }
  // write_masked's rule: the policy's fingerprint is kept, the rest masked.
  void mask(std::string_view text) {
    std::size_t start = 0;
    for (;;) {
      const void* found = keep_.empty() ? nullptr
                                        : memmem(text.data() + start, text.size() - start,
                                                 keep_.data(), keep_.size());
      const std::size_t at =
          found ? static_cast<std::size_t>(static_cast<const char*>(found) - text.data())
                : std::string_view::npos;
      write_ids_masked(out_, text.substr(start, at - start));
      if (!found) break;
      out_ << keep_;
      start = at + keep_.size();
    }
  }
  std::ostream& out_;
  const std::string& keep_;
  std::string buffer_;
};

// What a command evaluated, kept until the process ends: the command writes
// and the process exits, and freeing a national report, its progress and its
// policy's 745,000 units one allocation at a time took over a second that the
// OS does at once. Reachable from a global, so leak checkers do not report it.
template <class T>
const T& kept_until_exit(T value) {
  static auto* const kept = new std::vector<std::shared_ptr<const void>>();
  auto held = std::make_shared<const T>(std::move(value));
  kept->push_back(held);
  return *held;
}

}  // namespace

int run_report_command(const ReportCommand& command, const std::vector<std::string>& argv,
                       std::ostream& out) {
  std::vector<std::string> formats = {"text"};
  if (command.json) formats.push_back("json");
  if (command.csv) formats.push_back("csv");
  if (command.xlsx) formats.push_back("xlsx");
  if (command.html) formats.push_back("html");
  const CampaignInput& in = kept_until_exit(read_campaign_input(argv, formats));
  if (command.check) command.check(in);
  const Progress& progress = kept_until_exit(read_campaign_progress(in));
  const CampaignReport& report =
      kept_until_exit(command.evaluate ? command.evaluate(progress, in.as_of)
                                       : make_report(progress, in.as_of, command.parts));
  if (in.format == "xlsx") {
    XlsxBook book(*in.out_path, "--out", in.as_of, in.policy->fingerprint());
    command.xlsx(report, in, progress, book);
    book.commit();
    return 0;
  }
  const ReportCommand::Writer write = in.format == "json"  ? command.json
                                      : in.format == "csv" ? command.csv
                                                           : command.text;
  const ReportCommand::Writer writer = in.format == "html" ? command.html : write;
  const bool bom = in.format == "csv" && in.bom;
  // To --out whole or not at all (OutputFile); to standard output as written.
  auto write_to = [&](std::ostream& sink) {
    if (bom) sink << kUtf8Bom;
    MaskingBuf masking(sink, in);
    std::ostream text(&masking);
    writer(report, *in.policy, text);
    masking.finish();
  };
  if (!in.out_path) {
    write_to(out);
    return 0;
  }
  OutputFile file(*in.out_path, "--out");
  write_to(file.stream());
  file.commit();
  return 0;
}

}  // namespace canbao::cli
