/* The C ABI, from C99 (compiled with -std=c99 -pedantic -Werror): versions,
 * NULL and malformed arguments, policies, every JSON op, the batch entries.
 * Usage: test_c_abi <examples/policies directory> */
#include <canbao.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;

#define CHECK(cond)                                                                           \
  do {                                                                                        \
    if (!(cond)) {                                                                            \
      ++failures;                                                                             \
      fprintf(stderr, "%s:%d: CHECK(%s) failed; last error: %s\n", __FILE__, __LINE__, #cond, \
              canbao_last_error());                                                           \
    }                                                                                         \
  } while (0)

#define CHECK_STATUS(expr, want)                                                                  \
  do {                                                                                            \
    canbao_status got_ = (expr);                                                                  \
    if (got_ != (want)) {                                                                         \
      ++failures;                                                                                 \
      fprintf(stderr, "%s:%d: %s returned %s, expected %s; last error: %s\n", __FILE__, __LINE__, \
              #expr, canbao_status_name(got_), canbao_status_name(want), canbao_last_error());    \
    }                                                                                             \
  } while (0)

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
  test_input_safety();
  test_policy_free_ops();
  test_recommend();
  if (failures) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  printf("C ABI: all checks passed\n");
  return 0;
}
