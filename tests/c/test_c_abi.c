/* The C ABI, from C99 (compiled with -std=c99 -pedantic -Werror): versions,
 * NULL and malformed arguments, policies, every JSON op, the batch entries.
 * Over 600 lines on purpose: one C program, one executable, one ctest entry;
 * its checks share the CHECK macro and the loaded policies.
 * Usage: test_c_abi <examples/policies directory> */
#include <canbao.h>

#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char policy_dir[1024];

static canbao_policy* load(const char* name) {
  char path[1200];
  canbao_policy* p = NULL;
  sprintf(path, "%s/%s", policy_dir, name);
  CHECK_STATUS(canbao_policy_from_file(path, &p), CANBAO_OK);
  CHECK(p != NULL);
  return p;
}

static char* call(const canbao_policy* p, const char* request) {
  char* response = NULL;
  CHECK_STATUS(canbao_call_json(p, request, strlen(request), &response), CANBAO_OK);
  CHECK(response != NULL);
  return response;
}

/* A request that must fail with `want`, its error naming `where`. */
static void call_fails(const canbao_policy* p, const char* request, canbao_status want,
                       const char* where) {
  char* response = (char*)1;
  CHECK_STATUS(canbao_call_json(p, request, strlen(request), &response), want);
  CHECK(response == NULL);
  CHECK(strcmp(canbao_last_error_where(), where) == 0);
  CHECK(strlen(canbao_last_error()) > strlen(where));
  if (strcmp(canbao_last_error_where(), where) != 0) {
    fprintf(stderr, "  where was \"%s\", expected \"%s\"\n", canbao_last_error_where(), where);
  }
}

static void test_versions(void) {
  char expected[32];
  sprintf(expected, "%d.%d.%d", CANBAO_VERSION_MAJOR, CANBAO_VERSION_MINOR, CANBAO_VERSION_PATCH);
  CHECK(strcmp(canbao_version(), expected) == 0);
  CHECK(canbao_version_number() == CANBAO_VERSION_NUMBER);
  CHECK(canbao_abi_version() == CANBAO_ABI_VERSION);
  CHECK_STATUS(canbao_abi_check(CANBAO_ABI_VERSION), CANBAO_OK);
  CHECK_STATUS(canbao_abi_check(CANBAO_ABI_VERSION + 1), CANBAO_INVALID_ARGUMENT);
  CHECK(strstr(canbao_last_error(), "ABI") != NULL);
  CHECK(strcmp(canbao_status_name(CANBAO_OK), "ok") == 0);
  CHECK(strcmp(canbao_status_name(CANBAO_POLICY_ERROR), "policy_error") == 0);
  CHECK(strcmp(canbao_status_name(CANBAO_OUT_OF_MEMORY), "out_of_memory") == 0);
  /* An int parameter: values no canbao_status has are answered, never loaded as an enum. */
  CHECK(strcmp(canbao_status_name(42), "unknown") == 0);
  CHECK(strcmp(canbao_status_name(-1), "unknown") == 0);
}

static void test_null_arguments(void) {
  canbao_policy* p = (canbao_policy*)1;
  char* s = (char*)1;
  const char* fp = "x";
  int32_t day = 0;
  int y = 0, m = 0, d = 0;

  CHECK_STATUS(canbao_policy_from_json(NULL, 0, &p), CANBAO_INVALID_ARGUMENT);
  CHECK(p == NULL);
  CHECK(strcmp(canbao_last_error_where(), "json") == 0);
  CHECK(strcmp(canbao_last_error(), "json: must not be NULL") == 0);
  CHECK(canbao_last_error_status() == CANBAO_INVALID_ARGUMENT);
  CHECK_STATUS(canbao_policy_from_json("{}", 2, NULL), CANBAO_INVALID_ARGUMENT);
  CHECK_STATUS(canbao_policy_from_file(NULL, &p), CANBAO_INVALID_ARGUMENT);
  CHECK_STATUS(canbao_policy_from_file("x", NULL), CANBAO_INVALID_ARGUMENT);
  CHECK_STATUS(canbao_policy_fingerprint(NULL, &fp), CANBAO_INVALID_ARGUMENT);
  CHECK(fp == NULL);
  CHECK_STATUS(canbao_policy_to_json(NULL, &s, NULL), CANBAO_INVALID_ARGUMENT);
  CHECK(s == NULL);
  CHECK_STATUS(canbao_call_json(NULL, NULL, 0, &s), CANBAO_INVALID_ARGUMENT);
  CHECK_STATUS(canbao_call_json(NULL, "{}", 2, NULL), CANBAO_INVALID_ARGUMENT);
  CHECK_STATUS(canbao_date_from_ymd(2021, 1, 1, NULL), CANBAO_INVALID_ARGUMENT);
  CHECK_STATUS(canbao_date_to_ymd(0, NULL, &m, &d), CANBAO_INVALID_ARGUMENT);
  CHECK_STATUS(canbao_recommend_batch(NULL, 0, NULL, 0, NULL), CANBAO_INVALID_ARGUMENT);
  CHECK_STATUS(canbao_recommend_columns(NULL, 0, NULL, NULL), CANBAO_INVALID_ARGUMENT);
  /* Free functions accept NULL. */
  canbao_policy_free(NULL);
  canbao_string_free(NULL);

  CHECK_STATUS(canbao_date_from_ymd(2024, 2, 29, &day), CANBAO_OK);
  CHECK_STATUS(canbao_date_to_ymd(day, &y, &m, &d), CANBAO_OK);
  CHECK(y == 2024 && m == 2 && d == 29);
  CHECK_STATUS(canbao_date_from_ymd(1970, 1, 1, &day), CANBAO_OK);
  CHECK(day == 0);
  CHECK_STATUS(canbao_date_from_ymd(2023, 2, 29, &day), CANBAO_INPUT_ERROR);
}

static void test_malformed_policies(void) {
  canbao_policy* p = (canbao_policy*)1;
  const char* not_json = "{\"schema\": ";
  const char* unknown_key = "{\"schema\":\"canbao.policy/1\",\"campain\":{}}";
  CHECK_STATUS(canbao_policy_from_json(not_json, strlen(not_json), &p), CANBAO_POLICY_ERROR);
  CHECK(p == NULL);
  CHECK(strstr(canbao_last_error(), "not valid JSON") != NULL);
  CHECK_STATUS(canbao_policy_from_json(unknown_key, strlen(unknown_key), &p), CANBAO_POLICY_ERROR);
  CHECK(p == NULL);
  /* Required keys are read first: the missing "campaign" is named before the typo. */
  CHECK(strcmp(canbao_last_error_where(), "campaign") == 0);
  CHECK_STATUS(canbao_policy_from_file("/nonexistent/policy.json", &p), CANBAO_POLICY_ERROR);
  CHECK(strstr(canbao_last_error(), "/nonexistent/policy.json") != NULL);
}

static void test_policy_round_trip(void) {
  canbao_policy* p = load("000-xx-town-2021.json");
  canbao_policy* again = NULL;
  const char* fp = NULL;
  const char* fp_again = NULL;
  char* text = NULL;
  size_t len = 0;
  if (p == NULL) return;
  CHECK_STATUS(canbao_policy_fingerprint(p, &fp), CANBAO_OK);
  CHECK(fp != NULL && strlen(fp) == 64);
  CHECK_STATUS(canbao_policy_to_json(p, &text, &len), CANBAO_OK);
  CHECK(text != NULL && strlen(text) == len);
  CHECK_STATUS(canbao_policy_from_json(text, len, &again), CANBAO_OK);
  CHECK_STATUS(canbao_policy_fingerprint(again, &fp_again), CANBAO_OK);
  CHECK(fp_again != NULL && strcmp(fp, fp_again) == 0);
  canbao_string_free(text);
  canbao_policy_free(again);
  canbao_policy_free(p);
}

static void test_json_ops(void) {
  canbao_policy* p = load("000-xx-town-2021.json");
  char* r;
  if (p == NULL) return;

  /* 000 四: 集中攻坚 2021-06..08, 巩固 09..11, 总结验收 12. */
  r = call(p, "{\"op\":\"phases_on\",\"date\":\"2021-07-01\"}");
  CHECK(strstr(r, "\"id\":\"offensive\"") != NULL);
  CHECK(strstr(r, "consolidation") == NULL);
  canbao_string_free(r);
  r = call(p, "{\"op\":\"phases_on\",\"date\":\"2022-01-01\"}");
  CHECK(strcmp(r, "[]") == 0);
  canbao_string_free(r);

  /* 000 五(一): a village complete by 2021-09-30 gets 1 yuan (100 fen) per insured person. */
  r = call(p,
           "{\"op\":\"payouts\",\"as_of\":\"2021-12-31\",\"progress\":["
           "{\"unit_id\":\"dongfeng\",\"metric\":\"resident_enrolled\",\"date\":\"2021-09-20\","
           "\"value\":1250},"
           "{\"unit_id\":\"dongfeng\",\"metric\":\"resident_paid\",\"date\":\"2021-09-20\","
           "\"value\":1000}]}");
  CHECK(strstr(r,
               "{\"amount_fen\":125000,\"basis\":1250,\"basis_on\":\"2021-09-20\","
               "\"completed_on\":\"2021-09-20\",\"deadline\":\"2021-09-30\","
               "\"per_person_fen\":100,\"status\":\"tier\",\"tier\":1,\"unit_id\":\"dongfeng\"}") !=
        NULL); /* 第1档 is tier 1 (format_version 2) */
  CHECK(strstr(r, "\"format_version\":2") != NULL);
  canbao_string_free(r);

  call_fails(p, "{\"op\":\"phases_on\",\"date\":\"2023-02-29\"}", CANBAO_INPUT_ERROR,
             "request.date");
  call_fails(p, "{\"op\":\"phase_on\"}", CANBAO_INPUT_ERROR, "request.op");
  call_fails(p, "{\"op\":\"phases_on\",\"date\":\"2021-07-01\",\"extra\":1}", CANBAO_INPUT_ERROR,
             "request.extra");
  call_fails(p, "[1,2]", CANBAO_INPUT_ERROR, "request");
  call_fails(p, "{\"op\":", CANBAO_INPUT_ERROR, "request");
  call_fails(p,
             "{\"op\":\"payouts\",\"as_of\":\"2021-12-31\",\"progress\":["
             "{\"unit_id\":\"nowhere\",\"metric\":\"resident_enrolled\",\"date\":\"2021-09-20\","
             "\"value\":1}]}",
             CANBAO_INPUT_ERROR, "request.progress[0].unit_id");
  call_fails(NULL, "{\"op\":\"phases_on\",\"date\":\"2021-07-01\"}", CANBAO_INVALID_ARGUMENT,
             "policy");
  canbao_policy_free(p);
}

/* A request whose bytes are `len` long (may hold NUL): must fail with `want` at `where`. */
static void call_len_fails(const canbao_policy* p, const char* request, size_t len,
                           canbao_status want, const char* where) {
  char* response = (char*)1;
  CHECK_STATUS(canbao_call_json(p, request, len, &response), want);
  CHECK(response == NULL);
  CHECK(strcmp(canbao_last_error_where(), where) == 0);
  if (strcmp(canbao_last_error_where(), where) != 0) {
    fprintf(stderr, "  where was \"%s\", expected \"%s\"\n", canbao_last_error_where(), where);
  }
}

/* Issue 9: every input is safe. No file is opened for a request, deep nesting
 * and huge values are errors with short messages, nothing is an internal error. */
static void test_input_safety(void) {
  canbao_policy* p = load("000-xx-town-2021.json");
  canbao_policy* q = NULL;
  char* deep;
  char* huge;
  size_t i;
  if (p == NULL) return;

  /* Requests carry data: a file name is refused, and the file is never opened. */
  call_fails(p, "{\"op\":\"payouts\",\"as_of\":\"2021-12-31\",\"progress_file\":\"/etc/passwd\"}",
             CANBAO_INPUT_ERROR, "request.progress_file");
  CHECK(strstr(canbao_last_error(), "host") != NULL);
  CHECK(strstr(canbao_last_error(), "root:") == NULL);
  call_fails(p,
             "{\"op\":\"compare\",\"as_of\":\"2021-12-31\",\"patch\":{},"
             "\"roster_file\":\"/etc/passwd\"}",
             CANBAO_INPUT_ERROR, "request.roster_file");
  CHECK(strstr(canbao_last_error(), "root:") == NULL);

  /* Bytes after a NUL are not ignored. */
  call_len_fails(p, "{\"op\":\"version\"}\0garbage", 24, CANBAO_INPUT_ERROR, "request");
  CHECK(strstr(canbao_last_error(), "NUL") != NULL);

  /* Numbers out of range and invalid UTF-8 are input errors, not bugs. */
  call_fails(NULL, "{\"op\":\"retirement\",\"original_age\":1e9946}", CANBAO_INPUT_ERROR,
             "request");
  call_fails(NULL, "{\"op\":\"version\",\"x\":18446744073709551616E616}", CANBAO_INPUT_ERROR,
             "request");
  call_fails(NULL, "{\"op\":\"\xff\xfe\", \xff}", CANBAO_INPUT_ERROR, "request");

  /* 100 000 '[' is an error naming the limit, not a stack overflow. */
  deep = (char*)malloc(100001);
  CHECK(deep != NULL);
  if (deep != NULL) {
    memset(deep, '[', 100000);
    deep[100000] = '\0';
    call_fails(NULL, deep, CANBAO_INPUT_ERROR, "request");
    CHECK(strstr(canbao_last_error(), "nesting deeper than 64 levels at line 1, column 65") !=
          NULL);
    CHECK_STATUS(canbao_policy_from_json(deep, 100000, &q), CANBAO_POLICY_ERROR);
    CHECK(q == NULL);
    free(deep);
  }

  /* A 1 MB key is quoted as a short excerpt. */
  huge = (char*)malloc(1000100);
  CHECK(huge != NULL);
  if (huge != NULL) {
    strcpy(huge, "{\"op\":\"version\",\"");
    for (i = strlen(huge); i < 1000000; ++i) huge[i] = 'k';
    strcpy(huge + 1000000, "\":1}");
    call_fails(NULL, huge, CANBAO_INPUT_ERROR,
               "request.kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk\xe2\x80\xa6");
    CHECK(strlen(canbao_last_error()) < 300);
    free(huge);
  }

  /* A duplicate key is an error naming it. */
  call_fails(NULL, "{\"op\":\"version\",\"op\":\"ops\"}", CANBAO_INPUT_ERROR, "request.op");
  CHECK(strstr(canbao_last_error(), "duplicate key") != NULL);
  canbao_policy_free(p);
}

static void test_policy_free_ops(void) {
  char* r;
  /* 附件1: men born 1965-01 retire at 60 years 1 month, in 2025-02. */
  r = call(NULL, "{\"op\":\"retirement\",\"sex\":\"male\",\"birth\":\"1965-01-15\"}");
  CHECK(strstr(r, "\"retirement_month\":\"2025-02\"") != NULL);
  CHECK(strstr(r, "\"statutory_age\":{\"months\":1,\"years\":60}") != NULL);
  canbao_string_free(r);
  call_fails(NULL,
             "{\"op\":\"retirement\",\"sex\":\"male\",\"birth\":\"1965-01\",\"original_age\":55}",
             CANBAO_INVALID_ARGUMENT, "original_age");

  /* GB 11643-1999's own example number. */
  r = call(NULL, "{\"op\":\"parse_id\",\"number\":\"11010519491231002X\"}");
  CHECK(strstr(r, "\"region_code\":\"110105\"") != NULL);
  CHECK(strstr(r, "002X") == NULL); /* with the birth date, the last 4 would complete the number */
  CHECK(strstr(r, "\"birth_date\":\"1949-12-31\"") != NULL);
  CHECK(strstr(r, "\"sex\":\"female\"") != NULL);
  CHECK(strstr(r, "11010519491231002X") == NULL);
  canbao_string_free(r);
  call_fails(NULL, "{\"op\":\"parse_id\",\"number\":\"110105194912310021\"}", CANBAO_INPUT_ERROR,
             "request.number");
  CHECK(strstr(canbao_last_error(), "110105194912310021") == NULL);
}

/* 004 三(二)1: men under 45 and women under 40 -> employee scheme; older -> resident. */
static void test_recommend(void) {
  canbao_policy* p = load("004-shiyan-2023.json");
  canbao_person persons[4];
  canbao_recommendation results[4];
  canbao_person_columns in;
  canbao_recommendation_columns out;
  uint8_t sex[2] = {0, 1}, zero[2] = {0, 0}, employment[2] = {0, 0}, scheme[2], actions[2],
          groups[2];
  uint16_t grade[2] = {0, 0};
  int32_t birth[2];
  int32_t as_of = 0;
  char* r;
  if (p == NULL) return;

  r = call(p,
           "{\"op\":\"recommend\",\"as_of\":\"2023-06-30\",\"person\":{\"sex\":\"male\","
           "\"birth_date\":\"1990-05-01\",\"hukou_local\":true}}");
  CHECK(strstr(r, "\"scheme\":\"employee\"") != NULL);
  canbao_string_free(r);
  r = call(p,
           "{\"op\":\"recommend\",\"as_of\":\"2023-06-30\",\"person\":{\"sex\":\"female\","
           "\"birth_date\":\"1978-05-01\",\"hukou_local\":true}}");
  CHECK(strstr(r, "\"scheme\":\"resident\"") != NULL);
  canbao_string_free(r);
  call_fails(p,
             "{\"op\":\"recommend\",\"as_of\":\"2023-06-30\",\"person\":{\"sex\":\"m\","
             "\"birth_date\":\"1990-05-01\"}}",
             CANBAO_INPUT_ERROR, "request.person.sex");
  call_fails(p, "{\"op\":\"recommend\",\"as_of\":\"2023-06-30\",\"person\":{\"sex\":\"male\"}}",
             CANBAO_INPUT_ERROR, "request.person.birth_date");

  /* The batch entries give the answers of the JSON op. */
  memset(persons, 0, sizeof persons);
  CHECK_STATUS(canbao_date_from_ymd(2023, 6, 30, &as_of), CANBAO_OK);
  CHECK_STATUS(canbao_date_from_ymd(1990, 5, 1, &persons[0].birth_day), CANBAO_OK);
  CHECK_STATUS(canbao_date_from_ymd(1978, 5, 1, &persons[1].birth_day), CANBAO_OK);
  persons[0].sex = CANBAO_SEX_MALE;
  persons[1].sex = CANBAO_SEX_FEMALE;
  persons[0].hukou_local = persons[1].hukou_local = 1;
  persons[0].employment = persons[1].employment = CANBAO_EMPLOYMENT_OTHER;
  CHECK_STATUS(canbao_recommend_batch(p, as_of, persons, 2, results), CANBAO_OK);
  CHECK(results[0].scheme == CANBAO_SCHEME_EMPLOYEE);
  CHECK(results[1].scheme == CANBAO_SCHEME_RESIDENT);

  birth[0] = persons[0].birth_day;
  birth[1] = persons[1].birth_day;
  employment[0] = employment[1] = CANBAO_EMPLOYMENT_OTHER;
  in.abi_version = CANBAO_ABI_VERSION;
  in.count = 2;
  in.sex = sex;
  in.birth_day = birth;
  in.hukou_local = sex; /* {0, 1}: only the woman is local */
  in.insurance_status = zero;
  in.employment = employment;
  in.resident_grade_yuan = grade;
  in.flags = zero;
  out.abi_version = CANBAO_ABI_VERSION;
  out.scheme = scheme;
  out.actions = actions;
  out.groups = groups;
  out.fired_rows = NULL;
  persons[0].hukou_local = 0;
  CHECK_STATUS(canbao_recommend_batch(p, as_of, persons, 2, results), CANBAO_OK);
  CHECK_STATUS(canbao_recommend_columns(p, as_of, &in, &out), CANBAO_OK);
  CHECK(scheme[0] == results[0].scheme && scheme[1] == results[1].scheme);
  CHECK(actions[0] == results[0].actions && groups[1] == results[1].groups);

  out.abi_version = CANBAO_ABI_VERSION + 7;
  CHECK_STATUS(canbao_recommend_columns(p, as_of, &in, &out), CANBAO_INVALID_ARGUMENT);
  CHECK(strcmp(canbao_last_error_where(), "abi_version") == 0);

  /* A bad value names the person and field. */
  persons[1].employment = 200;
  CHECK_STATUS(canbao_recommend_batch(p, as_of, persons, 2, results), CANBAO_INPUT_ERROR);
  CHECK(strcmp(canbao_last_error_where(), "persons[1].employment") == 0);
  CHECK_STATUS(canbao_recommend_batch(p, as_of, NULL, 2, results), CANBAO_INVALID_ARGUMENT);
  CHECK_STATUS(canbao_recommend_batch(p, as_of, persons, 0, NULL), CANBAO_OK);
  canbao_policy_free(p);

  /* 000 has no recommendation section. */
  p = load("000-xx-town-2021.json");
  CHECK_STATUS(canbao_recommend_batch(p, as_of, persons, 1, results), CANBAO_INVALID_ARGUMENT);
  canbao_policy_free(p);
}

/* ---- declared facts and canbao_recommend_table ------------------------------ */

/* The fixture of tests/unit/test_declared_facts.cpp (004's declared facts),
 * found from the examples/policies directory. */
static canbao_policy* load_declared_facts(void) {
  return load("../../tests/data/policies/declared-facts.json");
}

static void test_declared_facts_listing(void) {
  canbao_policy* p = load_declared_facts();
  canbao_fact_info info;
  size_t n = 0, words = 0;
  const char* id = NULL;
  const char* name = NULL;
  int32_t v = -1;
  if (p == NULL) return;
  CHECK_STATUS(canbao_policy_fact_count(p, &n), CANBAO_OK);
  CHECK(n == 6);
  memset(&info, 0, sizeof info);
  info.struct_size = sizeof info;
  CHECK_STATUS(canbao_policy_fact(p, 0, &info), CANBAO_OK);
  CHECK(strcmp(info.id, "prior_contribution_years") == 0);
  CHECK(strcmp(info.name, "已缴费年限") == 0);
  CHECK(strcmp(info.column, "prior_contribution_years") == 0);
  CHECK(info.type == CANBAO_FACT_INTEGER && info.min == 0 && info.max == 60);
  CHECK(info.has_default == 1 && info.default_value == 0 && info.value_count == 0);
  CHECK_STATUS(canbao_policy_fact(p, 2, &info), CANBAO_OK);
  CHECK(info.type == CANBAO_FACT_ENUMERATION && info.value_count == 2 && info.default_value == 1);
  CHECK_STATUS(canbao_policy_fact_value(p, 2, 1, &id, &name), CANBAO_OK);
  CHECK(strcmp(id, "cadre") == 0 && strcmp(name, "干部") == 0);
  CHECK_STATUS(canbao_policy_fact_value(p, 2, 2, &id, NULL), CANBAO_INVALID_ARGUMENT);
  CHECK(strcmp(canbao_last_error_where(), "value") == 0);
  CHECK_STATUS(canbao_policy_fact(p, 6, &info), CANBAO_INVALID_ARGUMENT);
  CHECK(strcmp(canbao_last_error_where(), "index") == 0);
  info.struct_size = 8;
  CHECK_STATUS(canbao_policy_fact(p, 0, &info), CANBAO_INVALID_ARGUMENT);
  CHECK(strcmp(canbao_last_error_where(), "out.struct_size") == 0);
  /* The one text form of rosters and JSON strings. */
  CHECK_STATUS(canbao_policy_fact_parse(p, 3, "industry_leader;graduate", 24, &v), CANBAO_OK);
  CHECK(v == 9);
  CHECK_STATUS(canbao_policy_fact_parse(p, 4, "2023-01-01", 10, &v), CANBAO_OK);
  CHECK(v == 19358);
  CHECK_STATUS(canbao_policy_fact_parse(p, 5, "是", strlen("是"), &v), CANBAO_OK);
  CHECK(v == 1);
  CHECK_STATUS(canbao_policy_fact_parse(p, 1, "public", 6, &v), CANBAO_INPUT_ERROR);
  CHECK(strcmp(canbao_last_error_where(), "text") == 0);
  CHECK(strstr(canbao_last_error(), "public_sector") != NULL); /* what was expected */
  CHECK_STATUS(canbao_policy_fired_row_words(p, &words), CANBAO_OK);
  CHECK(words == 1);
  canbao_policy_free(p);
  /* A policy without declared facts has none; one without a recommendation too. */
  p = load("000-xx-town-2021.json");
  CHECK_STATUS(canbao_policy_fact_count(p, &n), CANBAO_OK);
  CHECK(n == 0);
  CHECK_STATUS(canbao_policy_fired_row_words(p, &words), CANBAO_INVALID_ARGUMENT);
  canbao_policy_free(p);
}

/* The persons of tests/data/rosters/declared-facts.csv (hand-worked in
 * tests/unit/test_declared_facts.cpp), repeated past one internal chunk. */
#define TABLE_ROWS 2500
static uint8_t t_sex[TABLE_ROWS], t_hukou[TABLE_ROWS], t_suspended[TABLE_ROWS],
    t_veteran[TABLE_ROWS];
static int32_t t_birth[TABLE_ROWS], t_prior[TABLE_ROWS], t_groups[TABLE_ROWS],
    t_expropriated[TABLE_ROWS];
static uint16_t t_category[TABLE_ROWS];
static uint8_t t_scheme[TABLE_ROWS], t_actions[TABLE_ROWS], t_groups_out[TABLE_ROWS];
static uint64_t t_fired[TABLE_ROWS];

static void test_recommend_table(void) {
  /* w1..w7: a woman born 1970-03-15; m1: a man born 1980-01-01. */
  static const int prior[8] = {0, 0, 15, 14, 14, 14, 14, 0};
  static const int suspended[8] = {0, 0, 0, 0, 0, 3, 1, 0};
  static const int category[8] = {0, 1, 1, 1, 1, 1, 1, 0};
  static const int groups[8] = {0, 0, 0, 0, 0, 0, 8, 17};
  static const int expropriated[8][3] = {{1990, 1, 1},   {1990, 1, 1},   {1990, 1, 1},
                                         {2023, 1, 1},   {2022, 12, 31}, {2022, 12, 31},
                                         {2022, 12, 31}, {1990, 1, 1}};
  static const int veteran[8] = {0, 0, 0, 0, 0, 0, 1, 0};
  static const int want_scheme[8] = {CANBAO_SCHEME_NONE,     CANBAO_SCHEME_EMPLOYEE,
                                     CANBAO_SCHEME_EMPLOYEE, CANBAO_SCHEME_RESIDENT,
                                     CANBAO_SCHEME_EMPLOYEE, CANBAO_SCHEME_NONE,
                                     CANBAO_SCHEME_EMPLOYEE, CANBAO_SCHEME_EMPLOYEE};
  canbao_policy* p = load_declared_facts();
  canbao_named_column cols[10];
  canbao_table_input in;
  canbao_table_output out = {0}; /* zeroed: fields a later header adds stay NULL */
  int32_t as_of = 0, woman = 0, man = 0;
  int i, ok = 1;
  if (p == NULL) return;
  CHECK_STATUS(canbao_date_from_ymd(2023, 6, 30, &as_of), CANBAO_OK);
  CHECK_STATUS(canbao_date_from_ymd(1970, 3, 15, &woman), CANBAO_OK);
  CHECK_STATUS(canbao_date_from_ymd(1980, 1, 1, &man), CANBAO_OK);
  for (i = 0; i < TABLE_ROWS; ++i) {
    const int k = i % 8;
    t_sex[i] = k == 7 ? CANBAO_SEX_MALE : CANBAO_SEX_FEMALE;
    t_birth[i] = k == 7 ? man : woman;
    t_hukou[i] = k == 7 ? 0 : 1;
    t_prior[i] = prior[k];
    t_suspended[i] = (uint8_t)suspended[k];
    t_category[i] = (uint16_t)category[k];
    t_groups[i] = groups[k];
    CHECK_STATUS(canbao_date_from_ymd(expropriated[k][0], expropriated[k][1], expropriated[k][2],
                                      &t_expropriated[i]),
                 CANBAO_OK);
    t_veteran[i] = (uint8_t)veteran[k];
  }
  cols[0].name = "sex", cols[0].type = CANBAO_COLUMN_U8, cols[0].data = t_sex;
  cols[1].name = "birth_day", cols[1].type = CANBAO_COLUMN_I32, cols[1].data = t_birth;
  cols[2].name = "hukou_local", cols[2].type = CANBAO_COLUMN_U8, cols[2].data = t_hukou;
  cols[3].name = "prior_contribution_years", cols[3].type = CANBAO_COLUMN_I32,
  cols[3].data = t_prior;
  cols[4].name = "suspended_scheme", cols[4].type = CANBAO_COLUMN_U8, cols[4].data = t_suspended;
  cols[5].name = "retirement_category", cols[5].type = CANBAO_COLUMN_U16, cols[5].data = t_category;
  cols[6].name = "support_groups", cols[6].type = CANBAO_COLUMN_I32, cols[6].data = t_groups;
  cols[7].name = "expropriated_on", cols[7].type = CANBAO_COLUMN_I32, cols[7].data = t_expropriated;
  cols[8].name = "veteran", cols[8].type = CANBAO_COLUMN_U8, cols[8].data = t_veteran;
  in.struct_size = sizeof in;
  in.count = TABLE_ROWS;
  in.columns = cols;
  in.column_count = 9;
  out.struct_size = sizeof out;
  out.scheme = t_scheme;
  out.actions = t_actions;
  out.groups = t_groups_out;
  out.fired_rows = t_fired;
  out.fired_row_words = 1;
  CHECK_STATUS(canbao_recommend_table(p, as_of, &in, &out), CANBAO_OK);
  for (i = 0; i < TABLE_ROWS; ++i) ok = ok && t_scheme[i] == want_scheme[i % 8];
  CHECK(ok);
  /* w7: g2 (产业带头人) and g7 + transfer (suspended in the employee scheme),
   * resume (veteran); m1: g2 (graduate;migrant_worker). */
  CHECK(t_groups_out[6] == (2 | 64) &&
        t_actions[6] == (CANBAO_ACTION_TRANSFER_IN | CANBAO_ACTION_RESUME_PAYMENT));
  CHECK(t_groups_out[7] == 2 && t_groups_out[2006] == (2 | 64) && t_groups_out[2007] == 2);
  CHECK(t_fired[6] == t_fired[2006] && t_fired[6] != 0);
  {
    /* The same answer as the JSON op for w7. */
    char* r = call(p,
                   "{\"op\":\"recommend\",\"as_of\":\"2023-06-30\",\"person\":{\"sex\":\"female\","
                   "\"birth_date\":\"1970-03-15\",\"hukou_local\":true,\"facts\":{"
                   "\"prior_contribution_years\":14,\"suspended_scheme\":\"employee\","
                   "\"support_groups\":[\"industry_leader\"],\"expropriated_on\":\"2022-12-31\","
                   "\"veteran\":true}}}");
    CHECK(strstr(r, "\"scheme\":\"employee\"") != NULL);
    CHECK(strstr(r, "\"groups\":[2,7]") != NULL || strstr(r, "\"groups\":[\"g2\",\"g7\"]") != NULL);
    canbao_string_free(r);
  }
  /* Facts left out take their defaults (w2's 干部); fired rows may be left out. */
  in.column_count = 2;
  out.fired_rows = NULL;
  out.fired_row_words = 0;
  CHECK_STATUS(canbao_recommend_table(p, as_of, &in, &out), CANBAO_OK);
  CHECK(t_scheme[0] == CANBAO_SCHEME_EMPLOYEE && t_scheme[7] == CANBAO_SCHEME_EMPLOYEE);

  /* Every argument error names its place. */
  in.column_count = 9;
  out.fired_rows = t_fired;
  CHECK_STATUS(canbao_recommend_table(p, as_of, &in, &out), CANBAO_INVALID_ARGUMENT);
  CHECK(strcmp(canbao_last_error_where(), "out.fired_row_words") == 0);
  out.fired_row_words = 1;
  cols[9].name = "veterans", cols[9].type = CANBAO_COLUMN_U8, cols[9].data = t_veteran;
  in.column_count = 10;
  CHECK_STATUS(canbao_recommend_table(p, as_of, &in, &out), CANBAO_INVALID_ARGUMENT);
  CHECK(strcmp(canbao_last_error_where(), "in.columns[9].name") == 0);
  CHECK(strstr(canbao_last_error(), "veteran") != NULL);
  cols[9].name = "veteran";
  CHECK_STATUS(canbao_recommend_table(p, as_of, &in, &out), CANBAO_INVALID_ARGUMENT);
  CHECK(strcmp(canbao_last_error_where(), "in.columns[9].name") == 0);
  CHECK(strstr(canbao_last_error(), "twice") != NULL);
  in.column_count = 9;
  cols[0].type = CANBAO_COLUMN_I32;
  CHECK_STATUS(canbao_recommend_table(p, as_of, &in, &out), CANBAO_INVALID_ARGUMENT);
  CHECK(strcmp(canbao_last_error_where(), "in.columns[0].type") == 0);
  cols[0].type = CANBAO_COLUMN_U8;
  cols[8].data = NULL;
  CHECK_STATUS(canbao_recommend_table(p, as_of, &in, &out), CANBAO_INVALID_ARGUMENT);
  CHECK(strcmp(canbao_last_error_where(), "in.columns[8].data") == 0);
  cols[8].data = t_veteran;
  in.columns = cols + 1; /* no sex */
  in.column_count = 8;
  CHECK_STATUS(canbao_recommend_table(p, as_of, &in, &out), CANBAO_INVALID_ARGUMENT);
  CHECK(strcmp(canbao_last_error_where(), "in.columns") == 0);
  CHECK(strstr(canbao_last_error(), "\"sex\"") != NULL);
  in.columns = cols;
  in.column_count = 9;
  in.struct_size = 0;
  CHECK_STATUS(canbao_recommend_table(p, as_of, &in, &out), CANBAO_INVALID_ARGUMENT);
  CHECK(strcmp(canbao_last_error_where(), "in.struct_size") == 0);
  in.struct_size = sizeof in;
  /* A bad value names the column and the row of the whole table (past the first chunk). */
  t_suspended[2000] = 9;
  CHECK_STATUS(canbao_recommend_table(p, as_of, &in, &out), CANBAO_INPUT_ERROR);
  CHECK(strcmp(canbao_last_error_where(), "columns.suspended_scheme[2000]") == 0);
  t_suspended[2000] = 0;
  canbao_policy_free(p);

  /* A policy without declared facts: the built-in columns give canbao_recommend_batch's answers. */
  p = load("004-shiyan-2023.json");
  if (p == NULL) return;
  {
    canbao_person persons[8];
    canbao_recommendation results[8];
    memset(persons, 0, sizeof persons);
    for (i = 0; i < 8; ++i) {
      persons[i].sex = t_sex[i];
      persons[i].birth_day = t_birth[i];
      persons[i].hukou_local = t_hukou[i];
      persons[i].employment = CANBAO_EMPLOYMENT_OTHER;
    }
    CHECK_STATUS(canbao_recommend_batch(p, as_of, persons, 8, results), CANBAO_OK);
    in.count = 8;
    in.column_count = 3;
    CHECK_STATUS(canbao_recommend_table(p, as_of, &in, &out), CANBAO_OK);
    for (i = 0; i < 8; ++i) {
      CHECK(t_scheme[i] == results[i].scheme && t_actions[i] == results[i].actions);
      CHECK(t_groups_out[i] == results[i].groups && t_fired[i] == results[i].fired_rows);
    }
    cols[3].name = "no_such_fact"; /* 004 declares no such fact */
    in.column_count = 4;
    CHECK_STATUS(canbao_recommend_table(p, as_of, &in, &out), CANBAO_INVALID_ARGUMENT);
    CHECK(strcmp(canbao_last_error_where(), "in.columns[3].name") == 0);
  }
  canbao_policy_free(p);
}

/* issue 12 costs: 004 三(二)2 代缴 for a 低保 person, priced by 004's illustrative
 * costs: the 100-yuan grade (10,000 fen) plus its subsidy 3,000 fen = 13,000 fen a year. */
static void test_costs_op(void) {
  canbao_policy* p = load("004-shiyan-2023.json");
  char* r;
  if (p == NULL) return;
  r = call(
      p,
      "{\"op\":\"costs\",\"as_of\":\"2023-06-30\",\"roster_csv\":"
      "\"id,id_number,name,sex,birth_date,hukou_local,insurance_status,employment,"
      "resident_grade_yuan,flags\\np04,,x,female,1973-01-01,true,none,unemployed,,dibao\\n\"}");
  CHECK(strstr(r, "\"government_pays_fen\":10000") != NULL);
  CHECK(strstr(r, "\"total_fen\":13000") != NULL);
  CHECK(strstr(r, "\"row_id\":\"p04\"") != NULL);
  canbao_string_free(r);
  /* A roster for a policy without costs names the request field. */
  canbao_policy_free(p);
  p = load("000-xx-town-2021.json");
  if (p == NULL) return;
  call_fails(p, "{\"op\":\"costs\",\"as_of\":\"2021-12-31\",\"roster_csv\":\"id\\n\"}",
             CANBAO_INPUT_ERROR, "request.roster_csv");
  canbao_policy_free(p);
}

int main(int argc, char** argv) {
  if (argc != 2 || strlen(argv[1]) >= sizeof policy_dir) {
    fprintf(stderr, "usage: %s <examples/policies directory>\n", argv[0]);
    return 2;
  }
  strcpy(policy_dir, argv[1]);
  test_versions();
  test_null_arguments();
  test_malformed_policies();
  test_policy_round_trip();
  test_json_ops();
  test_costs_op();
  test_input_safety();
  test_policy_free_ops();
  test_recommend();
  test_declared_facts_listing();
  test_recommend_table();
  if (failures) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  printf("C ABI: all checks passed\n");
  return 0;
}
