/* canbao_recommend_one and canbao_policy_row from C99 (issue 15): answers
 * worked by hand on 004, agreement with the batch entry and with
 * {"op":"recommend"}, and every bad argument named.
 * Usage: test_c_recommend_one <examples/policies directory> */
#include <canbao.h>

#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static canbao_policy* load(const char* dir, const char* name) {
  char path[1200];
  canbao_policy* p = NULL;
  sprintf(path, "%s/%s", dir, name);
  CHECK_STATUS(canbao_policy_from_file(path, &p), CANBAO_OK);
  if (p == NULL) exit(1);
  return p;
}

static int32_t day(int y, int m, int d) {
  int32_t out = 0;
  CHECK_STATUS(canbao_date_from_ymd(y, m, d, &out), CANBAO_OK);
  return out;
}

/* The decision row whose path is `path`, or -1. */
static int row_of(const canbao_policy* p, const char* path) {
  size_t count = 0, i;
  CHECK_STATUS(canbao_policy_row_count(p, &count), CANBAO_OK);
  for (i = 0; i < count; ++i) {
    canbao_row_info info;
    memset(&info, 0, sizeof info);
    info.struct_size = sizeof info;
    CHECK_STATUS(canbao_policy_row(p, i, &info), CANBAO_OK);
    if (strcmp(info.path, path) == 0) return (int)i;
  }
  return -1;
}

static canbao_person local_person(int sex, int32_t birth, int status, int employment) {
  canbao_person p;
  memset(&p, 0, sizeof p);
  p.sex = (uint8_t)sex;
  p.birth_day = birth;
  p.hukou_local = 1;
  p.insurance_status = (uint8_t)status;
  p.employment = (uint8_t)employment;
  return p;
}

static void test_worked_answers(const canbao_policy* p004) {
  const int32_t as_of = day(2023, 6, 30);
  canbao_recommendation r;
  canbao_row_info info;
  int row;
  /* 004 二(三)(四), 三(三) (table 0, row 13): a platform worker with no
   * insurance and under 60 (born 1990-05-01: 33 on 2023-06-30) enrolls in
   * the employee scheme; a platform worker is priority group 3. */
  canbao_person man = local_person(CANBAO_SEX_MALE, day(1990, 5, 1), CANBAO_INSURANCE_NONE,
                                   CANBAO_EMPLOYMENT_PLATFORM_WORKER);
  CHECK_STATUS(canbao_recommend_one(p004, as_of, &man, &r), CANBAO_OK);
  CHECK(r.scheme == CANBAO_SCHEME_EMPLOYEE);
  CHECK(r.actions == CANBAO_ACTION_ENROLL_EMPLOYEE);
  CHECK(r.groups == 1u << (3 - 1));
  /* Why: the fired rows, with the row {"op":"recommend"} names for this person. */
  row = row_of(p004, "recommendation.tables[0].rows[13]");
  CHECK(row >= 0 && (r.fired_rows >> row & 1u) == 1u);
  memset(&info, 0, sizeof info);
  info.struct_size = sizeof info;
  CHECK_STATUS(canbao_policy_row(p004, (size_t)row, &info), CANBAO_OK);
  CHECK(info.table == 0 && info.row == 13);
  CHECK(strlen(info.reason_zh) > 0 && strlen(info.reason_en) > 0);

  /* Table 0, row 0: someone already receiving a pension is outside the
   * expansion (scheme none, no action), whatever the age. */
  man.insurance_status = CANBAO_INSURANCE_RECEIVING_PENSION;
  CHECK_STATUS(canbao_recommend_one(p004, as_of, &man, &r), CANBAO_OK);
  CHECK(r.scheme == CANBAO_SCHEME_NONE && r.actions == 0);
  CHECK((r.fired_rows & 1u) == 1u);
  CHECK_STATUS(canbao_policy_row(p004, 0, &info), CANBAO_OK);
  CHECK(strcmp(info.path, "recommendation.tables[0].rows[0]") == 0);
  CHECK(strcmp(info.reason_en, "already receiving a pension: outside the expansion") == 0);
  CHECK(info.table == 0 && info.row == 0);
}

/* Every person of a grid: canbao_recommend_one == canbao_recommend_batch
 * (count 1 and the whole array), field by field and byte by byte. */
static void test_agrees_with_batch(const canbao_policy* p) {
  enum { N = 7 * 9 * 2 * 2 * 8 };
  static canbao_person persons[N];
  static canbao_recommendation batch[N];
  const int32_t as_of = day(2023, 6, 30);
  int n = 0, s, e, sex, hukou, age, i;
  for (s = 0; s < 7; ++s)
    for (e = 0; e < 9; ++e)
      for (sex = 0; sex < 2; ++sex)
        for (hukou = 0; hukou < 2; ++hukou)
          for (age = 0; age < 8; ++age) {
            /* ages 16..72 around the cut-offs; a grade and a flag now and then */
            persons[n] = local_person(sex, day(2023 - 16 - 8 * age, 1 + age, 1 + 3 * age), s, e);
            persons[n].hukou_local = (uint8_t)hukou;
            persons[n].resident_grade_yuan = (uint16_t)(s == 1 ? 300 * (age % 4) : 0);
            persons[n].flags = (uint8_t)(age == 3 ? CANBAO_FLAG_DIBAO : 0);
            ++n;
          }
  CHECK_STATUS(canbao_recommend_batch(p, as_of, persons, N, batch), CANBAO_OK);
  for (i = 0; i < N; ++i) {
    canbao_recommendation one;
    memset(&one, 0xEE, sizeof one);
    CHECK_STATUS(canbao_recommend_one(p, as_of, &persons[i], &one), CANBAO_OK);
    if (memcmp(&one, &batch[i], sizeof one) != 0) {
      ++failures;
      fprintf(stderr, "person %d: one gives scheme %d actions %d, batch %d %d\n", i, one.scheme,
              one.actions, batch[i].scheme, batch[i].actions);
      break;
    }
  }
}

/* The typed entry and the JSON entry: the same scheme for the same person. */
static void test_agrees_with_json(const canbao_policy* p004) {
  const char* request =
      "{\"op\":\"recommend\",\"as_of\":\"2023-06-30\",\"person\":{\"sex\":\"female\","
      "\"birth_date\":\"1960-03-10\",\"hukou_local\":true,\"insurance_status\":\"none\","
      "\"employment\":\"farmer\"}}";
  canbao_person woman = local_person(CANBAO_SEX_FEMALE, day(1960, 3, 10), CANBAO_INSURANCE_NONE,
                                     CANBAO_EMPLOYMENT_FARMER);
  canbao_recommendation r;
  char* response = NULL;
  const char* names[] = {"\"scheme\":\"none\"", "\"scheme\":\"employee\"",
                         "\"scheme\":\"resident\""};
  CHECK_STATUS(canbao_recommend_one(p004, day(2023, 6, 30), &woman, &r), CANBAO_OK);
  CHECK_STATUS(canbao_call_json(p004, request, strlen(request), &response), CANBAO_OK);
  CHECK(response != NULL && r.scheme <= 2 && strstr(response, names[r.scheme]) != NULL);
  canbao_string_free(response);
}

static void test_bad_arguments(const canbao_policy* p000, const canbao_policy* p004) {
  const int32_t as_of = day(2023, 6, 30);
  canbao_person ok = local_person(CANBAO_SEX_MALE, day(1990, 5, 1), 0, 0);
  canbao_person bad;
  canbao_recommendation r;
  canbao_row_info info;
  size_t count = 99;

  CHECK_STATUS(canbao_recommend_one(p004, as_of, &ok, NULL), CANBAO_INVALID_ARGUMENT);
  CHECK_WHERE("out");
  memset(&r, 0xEE, sizeof r);
  CHECK_STATUS(canbao_recommend_one(p004, as_of, NULL, &r), CANBAO_INVALID_ARGUMENT);
  CHECK_WHERE("person");
  CHECK(r.scheme == 0 && r.actions == 0 && r.fired_rows == 0); /* zeroed on error */
  CHECK_STATUS(canbao_recommend_one(NULL, as_of, &ok, &r), CANBAO_INVALID_ARGUMENT);
  CHECK_WHERE("policy");
  /* 000 has no recommendation section. */
  CHECK_STATUS(canbao_recommend_one(p000, as_of, &ok, &r), CANBAO_INVALID_ARGUMENT);
  CHECK_WHERE("policy");
  CHECK_STATUS(canbao_recommend_one(p004, 2932897, &ok, &r), CANBAO_INVALID_ARGUMENT);
  CHECK_WHERE("as_of_day");

  /* Each field range-checked like the batch, named as the caller knows it. */
  bad = ok, bad.sex = 2;
  CHECK_STATUS(canbao_recommend_one(p004, as_of, &bad, &r), CANBAO_INPUT_ERROR);
  CHECK_WHERE("person.sex");
  bad = ok, bad.hukou_local = 7;
  CHECK_STATUS(canbao_recommend_one(p004, as_of, &bad, &r), CANBAO_INPUT_ERROR);
  CHECK_WHERE("person.hukou_local");
  bad = ok, bad.insurance_status = 7;
  CHECK_STATUS(canbao_recommend_one(p004, as_of, &bad, &r), CANBAO_INPUT_ERROR);
  CHECK_WHERE("person.insurance_status");
  bad = ok, bad.employment = 99;
  CHECK_STATUS(canbao_recommend_one(p004, as_of, &bad, &r), CANBAO_INPUT_ERROR);
  CHECK_WHERE("person.employment");
  CHECK(strstr(canbao_last_error(), "got 99") != NULL);
  bad = ok, bad.flags = 64;
  CHECK_STATUS(canbao_recommend_one(p004, as_of, &bad, &r), CANBAO_INPUT_ERROR);
  CHECK_WHERE("person.flags");
  bad = ok, bad.birth_day = as_of + 1; /* born after the as-of day */
  CHECK_STATUS(canbao_recommend_one(p004, as_of, &bad, &r), CANBAO_INPUT_ERROR);
  CHECK_WHERE("person.birth_day");
  CHECK(r.scheme == 0 && r.fired_rows == 0);
  bad = ok, bad.reserved = 1;
  CHECK_STATUS(canbao_recommend_one(p004, as_of, &bad, &r), CANBAO_INPUT_ERROR);
  CHECK_WHERE("person.reserved");

  /* Rows: counted, bounded, versioned by struct_size. */
  CHECK_STATUS(canbao_policy_row_count(p000, &count), CANBAO_OK);
  CHECK(count == 0);
  CHECK_STATUS(canbao_policy_row_count(p004, &count), CANBAO_OK);
  CHECK(count > 13 && count <= 64);
  memset(&info, 0, sizeof info);
  info.struct_size = sizeof info;
  CHECK_STATUS(canbao_policy_row(p004, count, &info), CANBAO_INVALID_ARGUMENT);
  CHECK_WHERE("row");
  info.struct_size = sizeof(size_t);
  CHECK_STATUS(canbao_policy_row(p004, 0, &info), CANBAO_INVALID_ARGUMENT);
  CHECK_WHERE("out.struct_size");
  CHECK_STATUS(canbao_policy_row(p004, 0, NULL), CANBAO_INVALID_ARGUMENT);
  CHECK_STATUS(canbao_policy_row_count(p004, NULL), CANBAO_INVALID_ARGUMENT);
}

int main(int argc, char** argv) {
  canbao_policy *p000, *p004, *p004r;
  if (argc != 2 || strlen(argv[1]) > 1000) return 2;
  p000 = load(argv[1], "000-xx-town-2021.json");
  p004 = load(argv[1], "004-shiyan-2023.json");
  p004r = load(argv[1], "004-shiyan-2023-retirement.json");
  test_worked_answers(p004);
  test_agrees_with_batch(p004);
  test_agrees_with_batch(p004r);
  test_agrees_with_json(p004);
  test_bad_arguments(p000, p004);
  canbao_policy_free(p000);
  canbao_policy_free(p004);
  canbao_policy_free(p004r);
  if (failures) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  printf("canbao_recommend_one: all checks passed\n");
  return 0;
}
