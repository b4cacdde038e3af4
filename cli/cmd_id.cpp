// `canbao id`: checks one resident ID number (GB 11643-1999). The number is
// never printed whole: only the masked form (first 6 + last 4).
#include <iostream>
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include <canbao/detail/message_text.hpp>
#include <canbao/error.hpp>
#include <canbao/resident_id.hpp>
#include <canbao/sex.hpp>

#include "command.hpp"

namespace {

const char* kUsage =
    "usage: canbao id NUMBER|- [--masked] [--format text|json]\n"
    "\n"
    "Checks a resident ID number (GB 11643-1999): 18 characters with an ISO 7064\n"
    "MOD 11-2 check character (x accepted as X), or a legacy 15-digit number\n"
    "(upgraded by inserting 19); a real birth date; a province-level region prefix.\n"
    "Prints valid/invalid, the birth date and the sex; with --masked, the masked\n"
    "number (first 6 and last 4 characters) and the sex instead of the birth date.\n"
    "Never both: the masked form and the birth date together spell the whole\n"
    "number (digits 1-6 + 7-14 + 15-18). With -\n"
    "the number is read from the first line of standard input, which keeps it out\n"
    "of the process list and shell history.\n"
    "\n"
    "exit code: 0 valid, 1 invalid, 2 usage error\n";

int run(const std::vector<std::string>& argv, std::ostream& out, std::ostream& err) {
  const canbao::cli::Args args(argv, {"--format"}, {"--masked"});
  const bool want_masked = args.flag("--masked");
  if (args.positional().size() != 1) {
    throw canbao::ArgumentError("NUMBER", "expected exactly one ID number (or -), got " +
                                              std::to_string(args.positional().size()));
  }
  const std::string format = args.value("--format").value_or("text");
  if (format != "text" && format != "json") {
    throw canbao::ArgumentError("--format", "expected text or json, got \"" + format + "\"");
  }
  std::string number = args.positional().front();
  if (number == "-") {
    number.clear();
    std::getline(std::cin, number);
    if (!number.empty() && number.back() == '\r') number.pop_back();
  }
  canbao::IdProblem why;
  const auto id = canbao::parse_resident_id(number, &why);
  // A bad-date reason quotes digits 7-14; with the masked form (1-6, 15-18)
  // that would be the whole number, so such records show the reason only.
  // Likewise a valid number prints either its masked form or its birth date.
  const bool show_masked = id ? want_masked : why.fault != canbao::IdFault::bad_birth_date;
  // valid_utf8: the kept first 6 and last 4 bytes may cut a UTF-8 character.
  const std::string masked =
      show_masked ? canbao::detail::valid_utf8(canbao::mask_id(number)) : "(withheld)";
  if (format == "json") {
    nlohmann::ordered_json j;
    j["valid"] = id.has_value();
    if (show_masked) {
      j["masked"] = masked;
    } else {
      j["masked"] = nullptr;
    }
    if (id) {
      if (!show_masked) j["birth_date"] = id->birth_date().iso();
      j["sex"] = canbao::sex_name(id->sex());
    } else {
      j["reason"] = why.reason;
    }
    out << j.dump(2) << "\n";
  } else if (id) {
    out << "valid\n";
    if (show_masked) {
      out << "masked:     " << id->masked() << "\n";
    } else {
      out << "birth date: " << id->birth_date().iso() << "\n";
    }
    out << "sex:        " << canbao::sex_name(id->sex()) << "\n";
  } else {
    out << "invalid\nmasked:     " << masked << "\n";
    err << "canbao id: " << (show_masked ? masked + ": " : std::string()) << why.reason << "\n";
  }
  return id ? 0 : 1;
}

}  // namespace

CANBAO_REGISTER_COMMAND(canbao::cli::Command{"id",
                                             "check a resident ID number (prints birth date and "
                                             "sex, or the masked form; never the whole number)",
                                             kUsage, run});
