// Resident ID numbers, GB 11643-1999.
#include <canbao/resident_id.hpp>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <canbao/error.hpp>

namespace canbao {
namespace {

// Vectors computed outside canbao (MOD 11-2 by hand/Python) so the tests do not
// check the code against itself.
constexpr const char* kFemale1949 = "11010519491231002X";  // GB 11643-1999 example shape
constexpr const char* kLeapDay1948 = "440304194802291236";
constexpr const char* kLeapDay2000 = "440304200002290014";

std::optional<ResidentId> parse(const std::string& s, IdProblem* why = nullptr) {
  return parse_resident_id(s, why);
}

TEST(ResidentId, ValidNumberGivesBirthDateAndSex) {
  IdProblem why;
  const auto id = parse(kFemale1949, &why);
  ASSERT_TRUE(id) << why.reason;
  EXPECT_EQ(id->digits(), kFemale1949);
  EXPECT_EQ(id->birth_date(), *Date::from_ymd(1949, 12, 31));
  EXPECT_EQ(id->sex(), Sex::female);  // digit 17 is 2: even
  EXPECT_EQ(id->region_code(), "110105");
  EXPECT_TRUE(resident_id_valid(kFemale1949, 18));
}

TEST(ResidentId, OddSeventeenthDigitIsMale) {
  const auto id = parse("710000199001010023");
  ASSERT_TRUE(id);
  EXPECT_EQ(id->sex(), Sex::female);
  const auto m = parse("830000199001010039");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->sex(), Sex::male);  // digit 17 is 3
}

TEST(ResidentId, WrongCheckCharacterIsRejectedWithReasonAndWithoutTheNumber) {
  IdProblem why;
  EXPECT_FALSE(parse("110105194912310021", &why));
  EXPECT_EQ(why.fault, IdFault::bad_check_character);
  EXPECT_EQ(why.reason, "check character should be X");
  EXPECT_EQ(why.reason.find("110105194912310021"), std::string::npos);
  EXPECT_FALSE(resident_id_valid("110105194912310021", 18));
  try {
    ResidentId::parse("110105194912310021", "roster line 4, column id");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "roster line 4, column id: check character should be X");
  }
}

TEST(ResidentId, LowerCaseXIsAcceptedAndStoredUpperCase) {
  const auto id = parse("11010519491231002x");
  ASSERT_TRUE(id);
  EXPECT_EQ(id->digits(), "11010519491231002X");
  EXPECT_EQ(*id, *parse(kFemale1949));
}

TEST(ResidentId, FifteenDigitNumberIsUpgradedWithNineteenAndACheckCharacter) {
  const auto id = parse("110105491231002");
  ASSERT_TRUE(id);
  EXPECT_EQ(id->digits(), kFemale1949);
  EXPECT_EQ(id->birth_date(), *Date::from_ymd(1949, 12, 31));
  EXPECT_TRUE(resident_id_valid("110105491231002", 15));
}

TEST(ResidentId, FifteenDigitNumberWithImpossibleDateIsRejected) {
  IdProblem why;
  EXPECT_FALSE(parse("110105490229002", &why));  // 1949 is not a leap year
  EXPECT_EQ(why.fault, IdFault::bad_birth_date);
  EXPECT_EQ(why.reason, "birth date 19490229 is not a date");
}

TEST(ResidentId, LeapDaysAreDatesOnlyInLeapYears) {
  EXPECT_TRUE(parse(kLeapDay1948));
  EXPECT_TRUE(parse(kLeapDay2000));  // divisible by 400
  IdProblem why;
  EXPECT_FALSE(parse("110105194902290021", &why));
  EXPECT_EQ(why.reason, "birth date 19490229 is not a date");
  EXPECT_FALSE(parse("110105190002290010", &why));  // 1900: divisible by 100, not 400
  EXPECT_EQ(why.fault, IdFault::bad_birth_date);
}

TEST(ResidentId, ImpossibleBirthDateIsNamedInTheReason) {
  IdProblem why;
  EXPECT_FALSE(parse("11010519491332002X", &why));
  EXPECT_EQ(why.fault, IdFault::bad_birth_date);
  EXPECT_EQ(why.reason, "birth date 19491332 is not a date");
  EXPECT_FALSE(parse("11010519490000002X", &why));
  EXPECT_EQ(why.reason, "birth date 19490000 is not a date");
}

TEST(ResidentId, WrongLengthSaysWhatWasExpected) {
  IdProblem why;
  EXPECT_FALSE(parse("11010519491231002", &why));
  EXPECT_EQ(why.fault, IdFault::wrong_length);
  EXPECT_EQ(why.reason, "expected 15 or 18 characters, got 17");
  EXPECT_FALSE(parse("", &why));
  EXPECT_EQ(why.reason, "expected 15 or 18 characters, got 0");
  EXPECT_FALSE(parse(" 11010519491231002X", &why));  // no trimming
  EXPECT_EQ(why.reason, "expected 15 or 18 characters, got 19");
}

TEST(ResidentId, NonDigitIsRejectedByPosition) {
  IdProblem why;
  EXPECT_FALSE(parse("1101051949123100XX", &why));
  EXPECT_EQ(why.fault, IdFault::bad_character);
  EXPECT_EQ(why.reason, "character 17 should be a digit");
  EXPECT_FALSE(parse("11010519491231002Y", &why));
  EXPECT_EQ(why.reason, "character 18 should be a digit or X");
  EXPECT_FALSE(parse("11010549123100X", &why));  // 15-digit numbers have no X
  EXPECT_EQ(why.reason, "character 15 should be a digit");
}

TEST(ResidentId, ProvincePrefixMustBeAProvinceLevelCode) {
  // Accepted: every real province-level code, incl. 71 and 81/82/83.
  for (int p : {11, 15, 21, 23, 31, 37, 41, 46, 50, 54, 61, 65, 71, 81, 82, 83}) {
    std::string first17 = std::to_string(p) + "000019900101001";
    const std::string n = first17 + resident_id_check_character(first17);
    EXPECT_TRUE(parse(n)) << p;
  }
  // Rejected: the gaps between ranges.
  for (int p : {0, 10, 16, 20, 24, 30, 38, 40, 47, 49, 55, 60, 66, 70, 72, 80, 84, 99}) {
    char prefix[3];
    prefix[0] = static_cast<char>('0' + p / 10);
    prefix[1] = static_cast<char>('0' + p % 10);
    prefix[2] = 0;
    std::string first17 = std::string(prefix) + "000019900101001";
    const std::string n = first17 + resident_id_check_character(first17);
    IdProblem why;
    EXPECT_FALSE(parse(n, &why)) << p;
    EXPECT_EQ(why.fault, IdFault::bad_region) << p;
    EXPECT_EQ(why.reason, "region code starts with " + std::string(prefix) +
                              ", which is not a province-level code");
  }
}

TEST(ResidentId, MaskShowsFirstSixAndLastFour) {
  EXPECT_EQ(mask_id(kFemale1949), "110105********002X");
  EXPECT_EQ(parse(kFemale1949)->masked(), "110105********002X");
  EXPECT_EQ(mask_id("110105491231002"), "110105*****1002");
  EXPECT_EQ(mask_id("1101051949"), "**********");  // too short to show any part
  EXPECT_EQ(mask_id(""), "");
}

TEST(ResidentId, ThrowingParseNamesThePlaceAndNeverTheWholeNumber) {
  const std::vector<std::string> bad = {"110105194912310021", "11010519491332002X",
                                        "990105194912310021", "1101051949123100Y1",
                                        "11010519491231002"};
  const std::vector<std::string> reasons = {
      "check character should be X", "birth date 19491332 is not a date",
      "region code starts with 99, which is not a province-level code",
      "character 17 should be a digit", "expected 15 or 18 characters, got 17"};
  for (std::size_t i = 0; i < bad.size(); ++i) {
    const std::string& n = bad[i];
    try {
      ResidentId::parse(n, "persons[2].id");
      ADD_FAILURE() << mask_id(n) << " accepted";
    } catch (const InputError& e) {
      EXPECT_EQ(e.where(), "persons[2].id");
      EXPECT_EQ(std::string(e.what()).find(n), std::string::npos) << e.what();
      EXPECT_EQ(e.message(), reasons[i]);
    }
  }
}

TEST(ResidentId, CheckCharacterRejectsMalformedPrefix) {
  EXPECT_EQ(resident_id_check_character("11010519491231002"), 'X');
  EXPECT_THROW(resident_id_check_character("1101051949123100"), ArgumentError);
  EXPECT_THROW(resident_id_check_character("1101051949123100A"), ArgumentError);
}

TEST(ResidentId, DecodeFastPathAgreesWithParse) {
  Date birth;
  Sex sex = Sex::male;
  EXPECT_TRUE(resident_id_decode(kFemale1949, 18, &birth, &sex));
  EXPECT_EQ(birth, *Date::from_ymd(1949, 12, 31));
  EXPECT_EQ(sex, Sex::female);
  const Date untouched = *Date::from_ymd(2000, 1, 1);
  birth = untouched;
  EXPECT_FALSE(resident_id_decode("110105194912310021", 18, &birth, &sex));
  EXPECT_EQ(birth, untouched);
  EXPECT_FALSE(resident_id_valid(nullptr, 0));
}

// MOD 11-2 written out here independently of src/resident_id.cpp.
char reference_check(const std::string& first17) {
  static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (first17[i] - '0') * w[i];
  return "10X98765432"[sum % 11];
}

TEST(ResidentId, GeneratedNumbersRoundTripAndEverySingleCharacterChangeIsDetected) {
  std::mt19937 rng(20240913);  // fixed seed: deterministic
  const int provinces[] = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43,
                           44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83};
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  int checked = 0;
  for (int i = 0; i < 1500; ++i) {
    const int year = pick(1900, 2099), month = pick(1, 12);
    const int day = pick(1, days_in_month(year, month));
    char first17[18];
    std::snprintf(first17, sizeof first17, "%02d%04d%04d%02d%02d%03d", provinces[pick(0, 34)],
                  pick(0, 9999), year, month, day, pick(0, 999));
    const std::string number = std::string(first17) + reference_check(first17);

    IdProblem why;
    const auto id = parse(number, &why);
    ASSERT_TRUE(id) << mask_id(number) << ": " << why.reason;
    EXPECT_EQ(id->digits(), number);
    EXPECT_EQ(id->birth_date(), *Date::from_ymd(year, month, day));
    EXPECT_EQ(id->sex(), (first17[16] - '0') % 2 ? Sex::male : Sex::female);
    EXPECT_EQ(*parse(std::string(id->digits())), *id);

    for (std::size_t pos = 0; pos < 18; ++pos) {
      for (char c : std::string("0123456789X")) {
        if (c == number[pos] || (c == 'X' && pos != 17)) continue;
        std::string changed = number;
        changed[pos] = c;
        ASSERT_FALSE(resident_id_valid(changed.data(), changed.size()))
            << "change at " << pos + 1 << " undetected in " << mask_id(number);
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 1500 * (17 * 9 + 10));
}

}  // namespace
}  // namespace canbao
