// What the resident scheme costs the government per person, and what back pay
// collects: contribution grades (缴费档次) with the government's yearly
// subsidy per grade (国发〔2014〕8号: at least 30 yuan, more for higher grades),
// the grade the government pays for hardship groups (代缴, 004 三(二)2:
// 低保对象、特困人员、重度残疾人员) and the years and grade of back pay for
// uninsured residents aged 60+ (补缴, 004 三(二)2). Amounts no seed states are
// marked illustrative in the policy, never written in code.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <canbao/money.hpp>

namespace canbao {

struct GradeSubsidy {
  int yuan = 0;  // the grade: yuan per year the person pays
  Fen subsidy;   // the government's subsidy per year at this grade
};

struct GovernmentPays {
  int grade_yuan = 0;  // a grade of the table: paid per person per year
  std::string source;
};

struct BackPay {
  int years = 0;       // years paid back
  int grade_yuan = 0;  // a grade of the table: yuan per year paid back
  std::string source;
};

struct Costs {
  std::vector<GradeSubsidy> grades;  // yuan strictly increasing
  std::optional<GovernmentPays> government_pays;
  std::optional<BackPay> back_pay;
  std::string payer;  // of the subsidies and 代缴
  bool illustrative = false;
  std::string source;
  std::string note;

  // The grade whose subsidy a yearly contribution of `yuan` earns: the
  // highest table grade <= yuan; nullptr when below the lowest grade.
  const GradeSubsidy* grade_for(int yuan) const {
    const GradeSubsidy* found = nullptr;
    for (const auto& g : grades) {
      if (g.yuan <= yuan) found = &g;
    }
    return found;
  }
};

}  // namespace canbao
