// Test helper: batch columns as the C ABI's array of canbao_person structs,
// for tests that compare canbao_recommend_batch with the column paths.
#pragma once

#include <canbao.h>

#include <vector>

#include <canbao/batch.hpp>

// The same columns as the C ABI's canbao_person_columns (they borrow `c`).
inline canbao_person_columns c_person_columns(const canbao::PersonColumnStore& c) {
  const canbao::PersonColumns v = c.view();
  return canbao_person_columns{CANBAO_ABI_VERSION,
                               v.count,
                               v.sex,
                               v.birth_day,
                               v.hukou_local,
                               v.insurance_status,
                               v.employment,
                               v.resident_grade_yuan,
                               v.flags};
}

inline std::vector<canbao_person> c_persons(const canbao::PersonColumnStore& c) {
  std::vector<canbao_person> persons(c.sex.size());
  for (std::size_t i = 0; i < persons.size(); ++i) {
    persons[i] = canbao_person{};
    persons[i].birth_day = c.birth_day[i];
    persons[i].resident_grade_yuan = c.resident_grade_yuan[i];
    persons[i].sex = c.sex[i];
    persons[i].hukou_local = c.hukou_local[i];
    persons[i].insurance_status = c.insurance_status[i];
    persons[i].employment = c.employment[i];
    persons[i].flags = c.flags[i];
  }
  return persons;
}
