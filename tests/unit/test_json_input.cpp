// Every input is safe (issue 9 §3): messages mask ID numbers, quote short
// excerpts, stay valid UTF-8; JSON entry points reject deep nesting,
// duplicate keys and bytes after a NUL.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include <canbao/detail/message_text.hpp>
#include <canbao/error.hpp>
#include <canbao/json_api.hpp>
#include <canbao/policy.hpp>
#include <canbao/policy_test.hpp>
#include <canbao/reform.hpp>

namespace canbao {
namespace {

TEST(MaskIdNumbers, EighteenDigitRunKeepsFirstSixAndLastFour) {
  EXPECT_EQ(detail::mask_id_numbers("id 110105199001011234 here"), "id 110105********1234 here");
}

TEST(MaskIdNumbers, SeventeenDigitsAndXCheckCharacterAreOneIdNumber) {
  EXPECT_EQ(detail::mask_id_numbers("11010519900101123X"), "110105********123X");
  EXPECT_EQ(detail::mask_id_numbers("a11010519900101123xb"), "a110105********123xb");
}

TEST(MaskIdNumbers, FifteenDigitRunIsMasked) {
  EXPECT_EQ(detail::mask_id_numbers("'110105900101123'"), "'110105*****1123'");
}

TEST(MaskIdNumbers, ShorterLongerAndSixteenDigitRunsStay) {
  EXPECT_EQ(detail::mask_id_numbers("12345678901234"), "12345678901234");            // 14
  EXPECT_EQ(detail::mask_id_numbers("1234567890123456"), "1234567890123456");        // 16
  EXPECT_EQ(detail::mask_id_numbers("12345678901234567"), "12345678901234567");      // 17
  EXPECT_EQ(detail::mask_id_numbers("9223372036854775807"), "9223372036854775807");  // 19
}

TEST(MaskIdNumbers, EveryIdInTheTextIsMasked) {
  EXPECT_EQ(detail::mask_id_numbers("110105199001011234,110105900101123"),
            "110105********1234,110105*****1123");
}

TEST(ErrorMessage, WhereAndMessageNeverShowAWholeIdNumber) {
  const InputError e("rows.110105199001011234", "got '11010519900101123X'");
  EXPECT_EQ(e.where(), "rows.110105********1234");
  EXPECT_EQ(e.message(), "got '110105********123X'");
  EXPECT_STREQ(e.what(), "rows.110105********1234: got '110105********123X'");
}

TEST(ErrorMessage, InvalidUtf8BytesBecomeReplacementCharacters) {
  const PolicyError e("x", std::string("bad \xff\xfe byte \xe4\xb8"));
  EXPECT_EQ(e.message(), "bad \xEF\xBF\xBD\xEF\xBF\xBD byte \xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(Excerpt, ShortTextStaysWholeLongTextIsCutWithEllipsis) {
  EXPECT_EQ(detail::excerpt("abc"), "abc");
  EXPECT_EQ(detail::excerpt(std::string(100000, 'k')), std::string(60, 'k') + "\xE2\x80\xA6");
}

TEST(Excerpt, CutNeverSplitsAUtf8CharacterNorShowsPartOfADigitRun) {
  // 档 is 3 bytes: 21 of them are 63 bytes; the cut backs up to 60 = 20 characters.
  std::string tiers;
  for (int i = 0; i < 21; ++i) tiers += "\xE6\xA1\xA3";
  EXPECT_EQ(detail::excerpt(tiers), tiers.substr(0, 60) + "\xE2\x80\xA6");
  // An ID number cut at the excerpt edge: its shown digits become '*'.
  const std::string text = std::string(50, 'a') + "110105199001011234";
  EXPECT_EQ(detail::excerpt(text), std::string(50, 'a') + std::string(10, '*') + "\xE2\x80\xA6");
}

// ---- JSON entry points -------------------------------------------------------

const std::string kDir = CANBAO_SOURCE_DIR "/examples/";

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

const Policy& policy000() {
  static const PolicyPtr p = load_policy_file(kDir + "policies/000-xx-town-2021.json");
  return *p;
}

// The error a call throws: kind, where and message (fails the test when none).
struct Caught {
  ErrorKind kind = ErrorKind::internal;
  std::string where;
  std::string message;
};

template <class F>
Caught caught(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return Caught{e.kind(), e.where(), e.message()};
  }
  ADD_FAILURE() << "expected a canbao::Error";
  return {};
}

Caught request_error(const std::string& request, const Policy* p = &policy000()) {
  return caught([&] { call_json(p, request); });
}

std::string nested(int depth, const std::string& inner = "1") {
  return std::string(static_cast<std::size_t>(depth), '[') + inner +
         std::string(static_cast<std::size_t>(depth), ']');
}

TEST(JsonNesting, HundredThousandBracketsInARequestAreAnInputErrorNotACrash) {
  const Caught e = request_error(std::string(100000, '['));
  EXPECT_EQ(e.kind, ErrorKind::input);
  EXPECT_EQ(e.where, "request");
  EXPECT_EQ(e.message, "nesting deeper than 64 levels at line 1, column 65");
}

TEST(JsonNesting, CompleteDeepDocumentsAreErrorsBeforeAnyRecursiveCopyOrDump) {
  // Well-formed, so nlohmann's iterative parser accepts them; copying, dumping or
  // comparing them afterwards recursed 100,000 deep (SIGSEGV before the limit).
  const std::string deep = nested(100000);
  Caught e =
      request_error("{\"op\":\"compare\",\"as_of\":\"2021-12-31\",\"patch\":{\"x\":" + deep + "}}");
  EXPECT_EQ(e.kind, ErrorKind::input);
  EXPECT_EQ(e.message.rfind("nesting deeper than 64 levels at line 1, column ", 0), 0u);
  e = caught([&] { apply_reform(policy000(), "{\"work_fund\":" + deep + "}"); });
  EXPECT_EQ(e.kind, ErrorKind::policy);
  EXPECT_EQ(e.where, "patch");
  e = caught([&] { load_policy("{\"schema\":\"canbao.policy/1\",\"note\":" + deep + "}"); });
  EXPECT_EQ(e.kind, ErrorKind::policy);
  // {"schema":"canbao.policy/1","note": is 35 bytes: the 64th [ (level 65) is column 35 + 64.
  EXPECT_EQ(e.message, "nesting deeper than 64 levels at line 1, column 99");
}

TEST(JsonNesting, SixtyFourLevelsAreReadSixtyFiveAreNot) {
  // 1 level for the request object + 63 arrays: read, then rejected as an unknown key.
  Caught e = request_error("{\"op\":\"version\",\"x\":" + nested(63) + "}");
  EXPECT_EQ(e.where, "request.x");
  EXPECT_EQ(e.message.rfind("unknown key", 0), 0u) << e.message;
  e = request_error("{\"op\":\"version\",\"x\":" + nested(64) + "}");
  EXPECT_EQ(e.where, "request");
  // {"op":"version","x": is 20 bytes; its '{' is level 1, so the 64th '[' (column 20 + 64)
  // opens level 65.
  EXPECT_EQ(e.message, "nesting deeper than 64 levels at line 1, column 84");
}

TEST(JsonNesting, BracketsInsideStringsDoNotCount) {
  const Caught e = request_error("{\"op\":\"" + std::string(1000, '[') + "\"}");
  EXPECT_EQ(e.where, "request.op");
  EXPECT_NE(e.message.find("unknown op"), std::string::npos);
}

TEST(JsonNesting, PolicyTextMergePatchJsonPatchAndCaseFileAllHaveTheLimit) {
  const std::string deep = std::string(100000, '[');
  Caught e = caught([&] { load_policy(deep); });
  EXPECT_EQ(e.kind, ErrorKind::policy);
  EXPECT_EQ(e.where, "policy");
  EXPECT_EQ(e.message, "nesting deeper than 64 levels at line 1, column 65");
  e = caught([&] { apply_reform(policy000(), "{\"work_fund\":" + deep); });
  EXPECT_EQ(e.kind, ErrorKind::policy);
  EXPECT_EQ(e.where, "patch");
  EXPECT_EQ(e.message, "nesting deeper than 64 levels at line 1, column 77");
  e = caught([&] { apply_reform(policy000(), deep, PatchKind::json_patch); });
  EXPECT_EQ(e.where, "patch");
  e = caught([&] { parse_case_file(deep, "cases.json"); });
  EXPECT_EQ(e.kind, ErrorKind::input);
  EXPECT_EQ(e.where, "cases.json");
  // A compare request carrying a deep reform document.
  e = request_error("{\"op\":\"compare\",\"as_of\":\"2021-12-31\",\"reform\":" + deep);
  EXPECT_EQ(e.kind, ErrorKind::input);
  EXPECT_EQ(e.where, "request");
}

TEST(JsonDuplicateKeys, InAPolicyTheDuplicateIsNamedByItsPath) {
  std::string text = slurp(kDir + "policies/000-xx-town-2021.json");
  // units[3] is xinmin: give its targets resident_enrolled twice.
  const std::string once = "\"resident_enrolled\": 900";
  const auto at = text.find(once);
  ASSERT_NE(at, std::string::npos);
  text.insert(at, once + ", ");
  const Caught e = caught([&] { load_policy(text); });
  EXPECT_EQ(e.kind, ErrorKind::policy);
  EXPECT_EQ(e.where, "units[3].targets.resident_enrolled");
  EXPECT_EQ(e.message, "duplicate key");
}

TEST(JsonDuplicateKeys, InARequestAndAPatchAndACaseFile) {
  Caught e = request_error(
      R"({"op":"recommend","as_of":"2023-06-30","person":{"sex":"male","sex":"female"}})");
  EXPECT_EQ(e.kind, ErrorKind::input);
  EXPECT_EQ(e.where, "request.person.sex");
  EXPECT_EQ(e.message, "duplicate key");
  e = request_error(R"({"op":"payouts","progress":[{},{"a":1,"a":2}]})");
  EXPECT_EQ(e.where, "request.progress[1].a");
  e = caught([&] { apply_reform(policy000(), R"({"work_fund":{"payer":"a","payer":"b"}})"); });
  EXPECT_EQ(e.kind, ErrorKind::policy);
  EXPECT_EQ(e.where, "patch.work_fund.payer");
  e = caught([&] {
    parse_case_file(R"({"schema":"canbao.cases/1","cases":[{"name":"a","name":"b"}]})", "c.json");
  });
  EXPECT_EQ(e.kind, ErrorKind::input);
  EXPECT_EQ(e.where, "cases[0].name");
  EXPECT_EQ(e.message, "duplicate key");
}

TEST(JsonDuplicateKeys, SameKeyInSiblingObjectsIsFine) {
  EXPECT_NO_THROW(call_json(nullptr, R"({"op":"retirement","sex":"male","birth":"1965-01"})"));
  const Caught e = request_error(R"({"op":"payouts","as_of":"2021-12-31","progress":[
      {"unit_id":"dongfeng","metric":"resident_enrolled","date":"2021-09-20","value":1},
      {"unit_id":"nowhere","metric":"resident_enrolled","date":"2021-09-20","value":1}]})");
  EXPECT_EQ(e.where, "request.progress[1].unit_id");  // not a duplicate: its own object
}

TEST(JsonNulByte, BytesAfterANulAreAnErrorNotIgnored) {
  const std::string request("{\"op\":\"version\"}\0{\"op\":\"ops\"}", 29);
  const Caught e = request_error(request, nullptr);
  EXPECT_EQ(e.kind, ErrorKind::input);
  EXPECT_EQ(e.where, "request");
  EXPECT_EQ(e.message, "NUL byte at line 1, column 17 (the text must not contain byte 0)");
  const Caught p = caught([&] { load_policy(std::string("{}\0", 3)); });
  EXPECT_EQ(p.kind, ErrorKind::policy);
}

TEST(JsonBadInput, NumbersOutOfRangeAreInputErrorsNotInternal) {
  Caught e = request_error(R"({"op":"retirement","original_age":1e9946})", nullptr);
  EXPECT_EQ(e.kind, ErrorKind::input);
  EXPECT_EQ(e.where, "request");
  EXPECT_EQ(e.message, "not valid JSON: number out of range '1e9946'");
  e = request_error(R"({"op":"version","x":18446744073709551616E616})", nullptr);
  EXPECT_EQ(e.kind, ErrorKind::input);
  e = caught([&] { load_policy(R"({"schema":1e9946})"); });
  EXPECT_EQ(e.kind, ErrorKind::policy);
}

TEST(JsonBadInput, InvalidUtf8NearASyntaxErrorGivesAValidUtf8Message) {
  const Caught e = request_error("{\"op\":\"\xff\xfe\", \xff}", nullptr);
  EXPECT_EQ(e.kind, ErrorKind::input);
  EXPECT_EQ(e.where, "request");
  EXPECT_EQ(detail::valid_utf8(e.message), e.message);
}

TEST(JsonBadInput, AHugeKeyIsQuotedAsAShortExcerpt) {
  const std::string key(10'000'000, 'k');
  const Caught e = request_error("{\"op\":\"version\",\"" + key + "\":1}", nullptr);
  EXPECT_EQ(e.where, "request." + std::string(60, 'k') + "\xE2\x80\xA6");
  EXPECT_LT(e.message.size(), 200u);
}

TEST(JsonBadInput, AHugeTokenInASyntaxErrorIsQuotedAsAShortExcerpt) {
  // A string token ended by a control character: nlohmann quotes the whole token.
  const Caught e = request_error("{\"op\": \"" + std::string(1'000'000, 't') + "\x01\"}", nullptr);
  EXPECT_EQ(e.where, "request");
  EXPECT_LT(e.message.size(), 300u);
  EXPECT_NE(e.message.find("last read: '\"" + std::string(59, 't') + "\xE2\x80\xA6'"),
            std::string::npos)
      << e.message;
}

TEST(JsonBadInput, AHugeValueEchoedInAMessageIsQuotedAsAShortExcerpt) {
  const Caught e = request_error("{\"op\":\"" + std::string(1'000'000, 'o') + "\"}", nullptr);
  EXPECT_EQ(e.where, "request.op");
  EXPECT_EQ(e.message.rfind(
                "unknown op \"" + std::string(60, 'o') + "\xE2\x80\xA6\" (expected one of:", 0),
            0u)
      << e.message.substr(0, 200);
}

TEST(JsonPrivacy, SyntaxErrorsAndEchoedValuesNeverShowAWholeIdNumber) {
  // nlohmann quotes the bad string token whole: "last read: '"11010519491231002X<U+0001>'".
  Caught e = request_error("{\"op\": \"11010519491231002X\x01\"}", nullptr);
  EXPECT_EQ(e.message.find("11010519491231002X"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("110105********002X"), std::string::npos) << e.message;
  e = request_error(R"({"op":"110105194912310021"})", nullptr);
  EXPECT_EQ(e.where, "request.op");
  EXPECT_EQ(e.message.find("110105194912310021"), std::string::npos) << e.message;
  e = request_error(R"({"op":"version","110105194912310021":1})", nullptr);
  EXPECT_EQ(e.where, "request.110105********0021");
}

TEST(JsonFiles, ARequestNamingAProgressFileIsRefusedAndTheFileNeverOpened) {
  const Caught e =
      request_error(R"({"op":"payouts","as_of":"2021-12-31","progress_file":"/etc/passwd"})");
  EXPECT_EQ(e.kind, ErrorKind::input);
  EXPECT_EQ(e.where, "request.progress_file");
  EXPECT_NE(e.message.find("files are read by the host"), std::string::npos) << e.message;
  EXPECT_EQ(e.message.find("root"), std::string::npos);
}

TEST(JsonFiles, ACompareRequestNamingARosterOrProgressFileIsRefused) {
  Caught e = request_error(
      R"({"op":"compare","as_of":"2021-12-31","patch":{},"roster_file":"/etc/passwd"})");
  EXPECT_EQ(e.where, "request.roster_file");
  e = request_error(
      R"({"op":"compare","as_of":"2021-12-31","patch":{},"progress_file":"/etc/passwd"})");
  EXPECT_EQ(e.where, "request.progress_file");
}

TEST(JsonFiles, ProgressCsvNameNamesTheHostsFileInErrors) {
  const Caught e = request_error(
      R"({"op":"payouts","as_of":"2021-12-31","progress_csv_name":"host/progress.csv",)"
      R"("progress_csv":"unit_id,metric,date,value\nnowhere,resident_enrolled,2021-09-20,1\n"})");
  EXPECT_EQ(e.kind, ErrorKind::input);
  EXPECT_EQ(e.where.rfind("host/progress.csv", 0), 0u) << e.where << ": " << e.message;
}

TEST(JsonFiles, ACaseFileNamingAProgressFileIsReadByReadCaseFileOnly) {
  // read_case_file was handed the path: it reads the progress file and passes its text.
  const PolicyCaseFile f = read_case_file(kDir + "cases/000-xx-town-2021.cases.json");
  bool any = false;
  for (const PolicyTestCase& c : f.cases) {
    EXPECT_EQ(c.request.find("progress_file"), std::string::npos) << c.name;
    any = any || c.request.find("progress_csv_name") != std::string::npos;
  }
  EXPECT_TRUE(any);
  // parse_case_file reads nothing: the name stays, and call_json refuses it.
  const PolicyCaseFile g = parse_case_file(
      R"({"schema":"canbao.cases/1","cases":[{"name":"x","as_of":"2021-12-31",
          "progress_file":"/etc/passwd","expect":{"total_fen":0}}]})",
      "cases.json");
  const CaseResult r = run_case(policy000(), g.cases.at(0));
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.error.rfind("cases[0].progress_file: requests carry data", 0), 0u) << r.error;
}

TEST(JsonFiles, APathWithANulIsRefusedNotCutShort) {
  const std::string cases = kDir + "cases/000-xx-town-2021.cases.json";
  Caught e = caught([&] { read_case_file(cases + std::string("\0x", 2)); });
  EXPECT_EQ(e.kind, ErrorKind::input);
  EXPECT_EQ(e.message, "the path contains a NUL byte");
  e = caught([&] {
    apply_reform_file(policy000(),
                      kDir + "patches/000-second-tier-90.merge.json" + std::string("\0x", 2));
  });
  EXPECT_EQ(e.kind, ErrorKind::policy);
  EXPECT_EQ(e.message, "the path contains a NUL byte");
}

// ---- tier numbering ----------------------------------------------------------

TEST(JsonTiers, PayoutTiersCountFromOneLikeTheDocumentsAndFormatVersionIsTwo) {
  // 000 五(一): complete by 10-15 -> the second tier (第2档), 80 fen per person.
  const std::string answer = call_json(policy000(), R"({"op":"payouts","as_of":"2021-12-31",
      "progress":[{"unit_id":"dongfeng","metric":"resident_enrolled","date":"2021-10-15","value":1250},
                  {"unit_id":"dongfeng","metric":"resident_paid","date":"2021-10-15","value":1000}]})");
  EXPECT_NE(answer.find(R"("per_person_fen":80,"status":"tier","tier":2,"unit_id":"dongfeng")"),
            std::string::npos)
      << answer;
  EXPECT_NE(answer.find(R"("format_version":2)"), std::string::npos);
}

// A recommend request's declared facts ("facts": {...}) in their natural JSON
// types; the hand-worked answers of tests/unit/test_declared_facts.cpp.
TEST(JsonDeclaredFacts, APersonsFactsAreReadInTheirJsonTypesAndNamedByPath) {
  const PolicyPtr p = load_policy_file(CANBAO_SOURCE_DIR "/tests/data/policies/declared-facts.json");
  auto ask = [&](const std::string& facts) {
    return call_json(p.get(), R"({"op":"recommend","as_of":"2023-06-30","person":{"sex":"female",)"
                              R"("birth_date":"1970-03-15","hukou_local":true,"facts":)" + facts + "}}");
  };
  EXPECT_NE(ask(R"({"retirement_category":"worker"})").find(R"("retirement_date":"2020-04-01")"),
            std::string::npos);
  const std::string all = ask(R"({"prior_contribution_years":14,"suspended_scheme":"employee",)"
                              R"("support_groups":["industry_leader"],"expropriated_on":"2022-12-31","veteran":true})");
  EXPECT_NE(all.find(R"("groups":["g2","g7"])"), std::string::npos) << all;
  EXPECT_NE(all.find(R"("scheme":"employee")"), std::string::npos) << all;
  EXPECT_NE(ask(R"({"expropriated_on":"2023-01-01"})").find(R"("scheme":"resident")"), std::string::npos);
  auto error = [&](const std::string& facts) {
    return caught([&] { ask(facts); });
  };
  EXPECT_EQ(error(R"({"veteran":"yes"})").where, "request.person.facts.veteran");
  EXPECT_EQ(error(R"({"prior_contribution_years":61})").where, "request.person.facts.prior_contribution_years");
  EXPECT_EQ(error(R"({"support_groups":"graduate"})").where, "request.person.facts.support_groups");
  EXPECT_EQ(error(R"({"support_groups":["graduate","fisher"]})").where, "request.person.facts.support_groups");
  EXPECT_EQ(error(R"({"suspended_scheme":"public"})").where, "request.person.facts.suspended_scheme");
  EXPECT_EQ(error(R"({"veterans":true})").where, "request.person.facts.veterans");
  EXPECT_EQ(error(R"([1])").where, "request.person.facts");
  // A policy without declared facts takes none.
  EXPECT_EQ(request_error(R"({"op":"recommend","as_of":"2023-06-30","person":{"sex":"male",)"
                          R"("birth_date":"1980-01-01","facts":{"veteran":true}}})",
                          load_policy_file(CANBAO_SOURCE_DIR "/examples/policies/001-chengjiang-2021.json").get())
                .where,
            "request.person.facts.veteran");
}

}  // namespace
}  // namespace canbao
