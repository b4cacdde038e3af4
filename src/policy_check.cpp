// check_policy_text: the loader run under a collector (detail/policy_check.hpp),
// so every independent error is reported, then the consistency warnings of a
// policy that loads (policy_warnings.cpp). See docs/editor.md.
#include <canbao/policy_check.hpp>

#include <algorithm>
#include <fstream>

#include <canbao/detail/message_text.hpp>

#include "detail/policy_check.hpp"
#include "detail/policy_reader.hpp"
#include "detail/unit_memory.hpp"
#include "detail/unit_stream.hpp"

namespace canbao {

namespace detail {

namespace {
thread_local CheckCollector* current = nullptr;
}

CheckCollector* active_check() { return current; }

CheckCollector::CheckCollector(PolicyCheck& out, std::size_t limit)
    : out_(out), limit_(limit), previous_(current) {
  current = this;
}

CheckCollector::~CheckCollector() { current = previous_; }

void CheckCollector::add(Severity severity, std::string path, std::string message) {
  if (out_.diagnostics.size() >= limit_) {
    out_.truncated = true;
    throw CheckFull{};
  }
  if (severity == Severity::error) ++errors_;
  // Errors come masked (canbao::Error); warnings quote unit ids and names as
  // written, and an ID number typed there must not be shown whole either.
  out_.diagnostics.push_back(
      PolicyDiagnostic{severity, mask_id_numbers(path), mask_id_numbers(message)});
}

}  // namespace detail

const char* severity_name(Severity s) { return s == Severity::error ? "error" : "warning"; }

namespace {

// The check of a document, with the files handed over or those beside `path`;
// inline units streamed or (stream false) read through the DOM.
PolicyCheck check_once(const std::string& text, const CheckOptions& options,
                       const std::string& source, const PolicyFiles* files, const std::string* path,
                       bool stream) {
  PolicyCheck out;
  try {
    detail::CheckCollector collector(out, std::max<std::size_t>(options.max_diagnostics, 1));
    PolicyPtr policy;
    try {
      if (stream) {
        policy = detail::read_policy_streamed(text, source, files, path);
      } else {
        // A syntax error, or a document that is no object, is the only error.
        const detail::json doc = detail::parse_json_text(text, source);
        const PolicyFiles beside = path ? detail::policy_files_beside(*path, doc) : PolicyFiles{};
        policy = detail::read_policy_document(doc, files ? *files : beside);
      }
    } catch (const Error& e) {
      collector.add(Severity::error, e.where(), e.message());
    } catch (const detail::Silent&) {
    }
    if (policy && !collector.has_errors()) {
      out.policy = policy;
      for (auto& w : detail::policy_warnings(*policy))
        collector.add(Severity::warning, std::move(w.path), std::move(w.message));
    }
  } catch (const detail::CheckFull&) {
  }
  if (options.strict) {
    for (auto& d : out.diagnostics) d.severity = Severity::error;
  }
  return out;
}

PolicyCheck check_document(const std::string& text, const CheckOptions& options,
                           const std::string& source, const PolicyFiles* files,
                           const std::string* path) {
  // Units the stream does not take (detail/unit_stream.hpp): the whole check
  // again through the DOM, with a fresh collector, so every message is its.
  try {
    return check_once(text, options, source, files, path, true);
  } catch (const detail::StreamFallback&) {
  }
  return check_once(text, options, source, files, path, false);
}

}  // namespace

PolicyCheck check_policy_text(std::string_view text, const CheckOptions& options,
                              const std::string& source) {
  return check_document(std::string(text), options, source, nullptr, nullptr);
}

PolicyCheck check_policy_text(std::string_view text, const CheckOptions& options,
                              const std::string& source, const PolicyFiles& files) {
  return check_document(std::string(text), options, source, &files, nullptr);
}

PolicyCheck check_policy_file(const std::string& path, const CheckOptions& options) {
  std::ifstream in;
  if (path.find('\0') == std::string::npos) in.open(path, std::ios::binary);
  if (!in) {
    PolicyCheck out;
    out.diagnostics.push_back(
        PolicyDiagnostic{Severity::error, path, "cannot open the policy file"});
    return out;
  }
  // Read whole into one string (a national policy is 90 MB: no extra copies).
  std::string text;
  (void)detail::read_whole_file_huge(in, text);  // as before: an unreadable file fails to parse
  return check_document(text, options, path, nullptr, &path);
}

}  // namespace canbao
