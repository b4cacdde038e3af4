// The bad-input corpus through the C ABI (include/canbao.h); format in
// README.md. Each case runs in a child process, so a crash fails that case
// only. A case's status must be its "status", canbao_last_error() must match
// "message" and hold nothing "forbid" names; a case with "xfail_until" must
// fail (strict: it reports XPASS when the fix lands).
// Usage: bad_inputs_c SOURCE_DIR CASE.json...
#include <canbao.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

using nlohmann::json;

namespace {

std::string source_dir;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string base64_decode(const std::string& in) {
  static const std::string chars =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  int bits = 0;
  unsigned value = 0;
  for (char c : in) {
    const auto pos = chars.find(c);
    if (pos == std::string::npos) continue;  // '=' padding
    value = ((value << 6) | static_cast<unsigned>(pos)) & 0xffffffu;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((value >> bits) & 0xff));
    }
  }
  return out;
}

std::string input_bytes(const json& c) {
  if (c.contains("input")) return c["input"].get<std::string>();
  if (c.contains("input_b64")) return base64_decode(c["input_b64"].get<std::string>());
  if (c.contains("input_parts")) {
    std::string out;
    for (const auto& part : c["input_parts"]) {
      const auto text = part[0].get<std::string>();
      for (int i = 0; i < part[1].get<int>(); ++i) out += text;
    }
    return out;
  }
  std::string data = read_file(source_dir + "/" + c["input_file"].get<std::string>());
  if (c.contains("input_merge")) {
    json doc = json::parse(data);
    doc.merge_patch(c["input_merge"]);
    data = doc.dump();
  }
  return data;
}

std::string policy_text(const json& c) {
  std::string data = read_file(source_dir + "/" + c["policy"].get<std::string>());
  if (c.contains("policy_merge")) {
    json doc = json::parse(data);
    doc.merge_patch(c["policy_merge"]);
    data = doc.dump();
  }
  return data;
}

// A JSON string of `data` with its bytes kept as they are (json::dump would
// refuse invalid UTF-8, and the C ABI must see exactly the case's bytes).
std::string raw_json_string(const std::string& data) {
  std::string out = "\"";
  for (const char ch : data) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

canbao_status call(const canbao_policy* policy, const std::string& request) {
  char* response = nullptr;
  const canbao_status s = canbao_call_json(policy, request.data(), request.size(), &response);
  canbao_string_free(response);
  return s;
}

template <class T>
std::vector<T> column(const json& columns, const char* name, std::size_t n, T fallback) {
  std::vector<T> v(n, fallback);
  if (columns.contains(name)) {
    for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<T>(columns[name][i].get<std::int64_t>());
  }
  return v;
}

// The case's entry through the C ABI; the status it returned.
canbao_status run_entry(const json& c) {
  const std::string entry = c["entry"];
  const std::string data = input_bytes(c);
  if (entry == "policy") {
    canbao_policy* p = nullptr;
    const canbao_status s = canbao_policy_from_json(data.data(), data.size(), &p);
    canbao_policy_free(p);
    return s;
  }
  if (entry == "unit_table") {
    // The input is the table the (tabled) policy names, handed over by name.
    const std::string ptext = policy_text(c);
    const std::string name = json::parse(ptext)["units"]["table"];
    const canbao_policy_file file{name.c_str(), data.data(), data.size()};
    canbao_policy* p = nullptr;
    const canbao_status s = canbao_policy_from_json_files(ptext.data(), ptext.size(), &file, 1, &p);
    canbao_policy_free(p);
    return s;
  }
  canbao_policy* policy = nullptr;
  const std::string ptext = policy_text(c);
  if (canbao_policy_from_json(ptext.data(), ptext.size(), &policy) != CANBAO_OK) {
    throw std::runtime_error(std::string("the case's policy does not load: ") +
                             canbao_last_error());
  }
  const std::string as_of = c.value("as_of", "");
  canbao_status s = CANBAO_OK;
  if (entry == "request") {
    s = call(policy, data);
  } else if (entry == "progress_csv") {
    s = call(policy, R"({"op":"payouts","as_of":")" + as_of + R"(","progress_csv":)" +
                         raw_json_string(data) + "}");
  } else if (entry == "roster_csv") {
    s = call(policy, R"({"op":"compare","as_of":")" + as_of + R"(","patch":{},"roster_csv":)" +
                         raw_json_string(data) + "}");
  } else if (entry == "merge_patch" || entry == "json_patch") {
    // The patch's bytes go into the request as they are (they may not be JSON).
    s = call(policy,
             R"({"op":"compare","as_of":")" + as_of + R"(","progress":[],"patch":)" + data + "}");
  } else if (entry == "batch") {
    const json cols = json::parse(data);
    const std::size_t n = cols["sex"].size();
    const auto sex = column<std::uint8_t>(cols, "sex", n, 0);
    const auto birth = column<std::int32_t>(cols, "birth_day", n, 0);
    const auto hukou = column<std::uint8_t>(cols, "hukou_local", n, 0);
    const auto status = column<std::uint8_t>(cols, "insurance_status", n, 0);
    const auto employment = column<std::uint8_t>(cols, "employment", n, CANBAO_EMPLOYMENT_OTHER);
    const auto grade = column<std::uint16_t>(cols, "resident_grade_yuan", n, 0);
    const auto flags = column<std::uint8_t>(cols, "flags", n, 0);
    std::vector<std::uint8_t> scheme(n), actions(n), groups(n);
    const canbao_person_columns in{CANBAO_ABI_VERSION, n,
                                   sex.data(),         birth.data(),
                                   hukou.data(),       status.data(),
                                   employment.data(),  grade.data(),
                                   flags.data()};
    const canbao_recommendation_columns out{CANBAO_ABI_VERSION, scheme.data(), actions.data(),
                                            groups.data(), nullptr};
    int y, m, d;
    std::sscanf(as_of.c_str(), "%d-%d-%d", &y, &m, &d);
    std::int32_t day = 0;
    canbao_date_from_ymd(y, m, d, &day);
    s = canbao_recommend_columns(policy, day, &in, &out);
  } else {
    throw std::runtime_error("no C ABI entry for " + entry);
  }
  canbao_policy_free(policy);
  return s;
}

// The header's name of a status ("CANBAO_INPUT_ERROR"), as cases write it.
std::string status_macro(canbao_status s) {
  switch (s) {
    case CANBAO_OK:
      return "CANBAO_OK";
    case CANBAO_INVALID_ARGUMENT:
      return "CANBAO_INVALID_ARGUMENT";
    case CANBAO_POLICY_ERROR:
      return "CANBAO_POLICY_ERROR";
    case CANBAO_INPUT_ERROR:
      return "CANBAO_INPUT_ERROR";
    case CANBAO_OVERFLOW:
      return "CANBAO_OVERFLOW";
    case CANBAO_OUT_OF_MEMORY:
      return "CANBAO_OUT_OF_MEMORY";
    case CANBAO_INTERNAL:
      return "CANBAO_INTERNAL";
  }
  return "status " + std::to_string(static_cast<int>(s));
}

// In the child: 0 when the C ABI answered as the case expects.
int check_case(const json& c) {
  const canbao_status s = run_entry(c);
  const std::string text = s == CANBAO_OK ? "" : canbao_last_error();
  const std::string expected = c["status"];
  int bad = 0;
  if (expected != status_macro(s)) {
    std::cout << "    status " << status_macro(s) << ", expected " << expected << ": "
              << text.substr(0, 300) << "\n";
    bad = 1;
  }
  if (c.contains("message")) {
    const json& m = c["message"];
    const std::string re =
        m.is_object() ? m.value("c", m.value("default", "")) : m.get<std::string>();
    if (!re.empty() && !std::regex_search(text, std::regex(re))) {
      std::cout << "    message \"" << text.substr(0, 300) << "\" does not match " << re << "\n";
      bad = 1;
    }
  }
  if (c.contains("max_message_bytes") && text.size() > c["max_message_bytes"].get<std::size_t>()) {
    std::cout << "    message is " << text.size() << " bytes\n";
    bad = 1;
  }
  if (c.contains("forbid") && std::regex_search(text, std::regex(c["forbid"].get<std::string>()))) {
    std::cout << "    message holds what \"forbid\" names: " << text.substr(0, 300) << "\n";
    bad = 1;
  }
  return bad;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: bad_inputs_c SOURCE_DIR CASE.json...\n";
    return 2;
  }
  source_dir = argv[1];
  int failures = 0, passed = 0, xfailed = 0;
  for (int i = 2; i < argc; ++i) {
    const std::string path = argv[i];
    const json c = json::parse(read_file(path));
    if (!c.contains("status")) continue;  // no C ABI surface for this case
    std::string xfail;
    if (c.contains("xfail_until")) {
      const json& x = c["xfail_until"];
      xfail = x.is_object() ? x.value("c", "") : x.get<std::string>();
    }
    const std::string name = path.substr(path.find_last_of('/') + 1);
    std::cout.flush();
    const pid_t pid = fork();
    if (pid == 0) {
      int code = 3;
      try {
        code = check_case(c);
      } catch (const std::exception& e) {
        std::cout << "    runner: " << e.what() << "\n";
      }
      std::cout.flush();
      _exit(code);
    }
    int wstatus = 0;
    waitpid(pid, &wstatus, 0);
    const bool ok = WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0;
    if (WIFSIGNALED(wstatus)) std::cout << "    crashed: signal " << WTERMSIG(wstatus) << "\n";
    if (xfail.empty()) {
      std::cout << (ok ? "PASS  " : "FAIL  ") << name << "\n";
      ok ? ++passed : ++failures;
    } else if (ok) {
      std::cout << "XPASS " << name << " (fixed? remove \"xfail_until\": " << xfail << ")\n";
      ++failures;
    } else {
      std::cout << "XFAIL " << name << " (until: " << xfail << ")\n";
      ++xfailed;
    }
  }
  std::cout << passed << " passed, " << xfailed << " expected failures, " << failures
            << " failed\n";
  return failures == 0 ? 0 : 1;
}
