#include "report_command.hpp"

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

// detail::mask_id_numbers(text) written to `out`, with the text between digit
// runs copied in bulk: only a run of 15 digits, or of 17 and an X, goes
// through it (a national report is a GB of mostly other characters).
void write_ids_masked(std::ostream& out, std::string_view text) {
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  std::size_t from = 0, i = 0;
  while (i < text.size()) {
    if (!digit(text[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && digit(text[j])) ++j;
    std::size_t run = j - i;
    if (run == 17 && j < text.size() && (text[j] == 'X' || text[j] == 'x')) run = 18;
    if (run == 15 || run == 18) {
      out.write(text.data() + from, static_cast<std::streamsize>(i - from));
      out << detail::mask_id_numbers(text.substr(i, run));
      from = i + run;
    }
    i += run;
  }
  out.write(text.data() + from, static_cast<std::streamsize>(text.size() - from));
}

// Masks what a writer prints (write_masked) chunk by chunk on its way out, so
// a national report (a GB of JSON) is never held whole, twice. A chunk ends
// after a ',' or a newline: neither an ID-like digit run (with its X) nor the
// fingerprint contains one, so every chunk masks as the whole text would.
class MaskingBuf : public std::streambuf {
 public:
  MaskingBuf(std::ostream& out, const CampaignInput& in) : out_(out), in_(in) {}
  // Writes what is left.
  void finish() { drain(buffer_.size()); }

 protected:
  int_type overflow(int_type c) override {
    if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
    buffer_.push_back(traits_type::to_char_type(c));
    if (buffer_.size() >= kChunk) drain_chunk();
    return c;
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    buffer_.append(s, static_cast<std::size_t>(n));
    if (buffer_.size() >= kChunk) drain_chunk();
    return n;
  }

 private:
  static constexpr std::size_t kChunk = 1 << 20;
  void drain_chunk() {
    const std::size_t cut = buffer_.find_last_of(",\n");
    if (cut != std::string::npos) drain(cut + 1);
  }
  // write_masked's rule: the policy's fingerprint is kept, the rest masked.
  void drain(std::size_t n) {
    const std::string& keep = in_.policy->fingerprint();
    const std::string_view text = std::string_view(buffer_).substr(0, n);
    std::size_t start = 0;
    for (;;) {
      const std::size_t at = keep.empty() ? std::string::npos : text.find(keep, start);
      write_ids_masked(out_, text.substr(start, at - start));
      if (at == std::string::npos) break;
      out_ << keep;
      start = at + keep.size();
    }
    buffer_.erase(0, n);
  }
  std::ostream& out_;
  const CampaignInput& in_;
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
