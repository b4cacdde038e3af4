/* The narrow fired-rows output of the C ABI from C99 (issue 15):
 * canbao_table_output.fired_set and the sets it numbers
 * (canbao_policy_fired_set_count / canbao_policy_fired_set): every person's
 * set is their fired_rows word, with or without fired_rows asked for; a
 * caller built before the field (a smaller struct_size) keeps working and
 * never gets it written; every bad argument is named.
 * Usage: test_c_fired_set <examples/policies directory> */
#include <canbao.h>

#include "check.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { N = 7 * 9 * 2 * 2 * 12 };
static uint8_t sex[N], hukou[N], status[N], employment[N], flags[N];
static int32_t birth[N];
static uint16_t grade[N];

static int32_t day(int y, int m, int d) {
  int32_t out = 0;
  CHECK_STATUS(canbao_date_from_ymd(y, m, d, &out), CANBAO_OK);
  return out;
}

/* Every status x employment x sex x hukou, ages 16..82 around the cut-offs. */
static void make_persons(void) {
  int n = 0, s, e, x, h, a;
  for (s = 0; s < 7; ++s)
    for (e = 0; e < 9; ++e)
      for (x = 0; x < 2; ++x)
        for (h = 0; h < 2; ++h)
          for (a = 0; a < 12; ++a) {
            sex[n] = (uint8_t)x;
            hukou[n] = (uint8_t)h;
            status[n] = (uint8_t)s;
            employment[n] = (uint8_t)e;
            birth[n] = day(2023 - 16 - 6 * a, 1 + a, 1 + 2 * a);
            grade[n] = (uint16_t)(s == 1 ? 300 * (a % 4) : 0);
            flags[n] = (uint8_t)(a == 3 ? CANBAO_FLAG_DIBAO : 0);
            ++n;
          }
}

static canbao_status run(const canbao_policy* p, int32_t as_of, canbao_table_output* out) {
  canbao_named_column cols[7];
  canbao_table_input in;
  cols[0].name = "sex", cols[0].type = CANBAO_COLUMN_U8, cols[0].data = sex;
  cols[1].name = "birth_day", cols[1].type = CANBAO_COLUMN_I32, cols[1].data = birth;
  cols[2].name = "hukou_local", cols[2].type = CANBAO_COLUMN_U8, cols[2].data = hukou;
  cols[3].name = "insurance_status", cols[3].type = CANBAO_COLUMN_U8, cols[3].data = status;
  cols[4].name = "employment", cols[4].type = CANBAO_COLUMN_U8, cols[4].data = employment;
  cols[5].name = "resident_grade_yuan", cols[5].type = CANBAO_COLUMN_U16, cols[5].data = grade;
  cols[6].name = "flags", cols[6].type = CANBAO_COLUMN_U8, cols[6].data = flags;
  in.struct_size = sizeof in;
  in.count = N;
  in.columns = cols;
  in.column_count = 7;
  return canbao_recommend_table(p, as_of, &in, out);
}

static void test_sets_are_the_fired_rows(const canbao_policy* p) {
  static uint8_t scheme[N], actions[N], groups[N], set[N], only[N];
  static uint64_t fired[N];
  const int32_t as_of = day(2023, 6, 30);
  canbao_table_output out = {0}; /* zeroed: fields a later header adds stay NULL */
  size_t count = 0, i, distinct = 0;
  uint64_t words[256];
  int used[256] = {0};
  CHECK_STATUS(canbao_policy_fired_set_count(p, as_of, &count), CANBAO_OK);
  CHECK(count > 1 && count <= 256);
  if (count < 1 || count > 256) return;
  for (i = 0; i < count; ++i)
    CHECK_STATUS(canbao_policy_fired_set(p, as_of, i, &words[i], 1), CANBAO_OK);

  memset(&out, 0, sizeof out);
  out.struct_size = sizeof out;
  out.scheme = scheme, out.actions = actions, out.groups = groups;
  out.fired_rows = fired, out.fired_row_words = 1;
  memset(set, 0xEE, sizeof set);
  out.fired_set = set;
  CHECK_STATUS(run(p, as_of, &out), CANBAO_OK);
  for (i = 0; i < N; ++i) {
    if (set[i] >= count || words[set[i]] != fired[i]) {
      ++failures;
      fprintf(stderr, "person %d: fired_set %d, fired_rows %llx\n", (int)i, set[i],
              (unsigned long long)fired[i]);
      break;
    }
    if (!used[set[i]]++) ++distinct;
  }
  CHECK(distinct > 1); /* the grid reaches several sets, not one */

  /* fired_set alone: the same numbers. */
  out.fired_rows = NULL;
  memset(only, 0xEE, sizeof only);
  out.fired_set = only;
  CHECK_STATUS(run(p, as_of, &out), CANBAO_OK);
  CHECK(memcmp(only, set, sizeof set) == 0);

  /* A caller built before fired_set: its struct ends at fired_row_words, and
   * the library never reads (nor writes through) what lies beyond. */
  memset(only, 0xEE, sizeof only);
  out.struct_size = offsetof(canbao_table_output, fired_set);
  out.fired_rows = fired;
  CHECK_STATUS(run(p, as_of, &out), CANBAO_OK);
  for (i = 0; i < N; ++i) CHECK(only[i] == 0xEE);
  out.struct_size = offsetof(canbao_table_output, fired_set) - 1;
  CHECK_STATUS(run(p, as_of, &out), CANBAO_INVALID_ARGUMENT);
  CHECK_WHERE("out.struct_size");
}

static void test_bad_arguments(const canbao_policy* p000, const canbao_policy* p004) {
  const int32_t as_of = day(2023, 6, 30);
  size_t count = 7;
  uint64_t words[2];
  CHECK_STATUS(canbao_policy_fired_set_count(p004, as_of, NULL), CANBAO_INVALID_ARGUMENT);
  CHECK_WHERE("out");
  CHECK_STATUS(canbao_policy_fired_set_count(NULL, as_of, &count), CANBAO_INVALID_ARGUMENT);
  CHECK_WHERE("policy");
  CHECK(count == 0);
  CHECK_STATUS(canbao_policy_fired_set_count(p004, 3000000, &count), CANBAO_INVALID_ARGUMENT);
  CHECK_WHERE("as_of_day");
  /* No recommendation section: no tables. */
  CHECK_STATUS(canbao_policy_fired_set_count(p000, as_of, &count), CANBAO_INVALID_ARGUMENT);
  CHECK_STATUS(canbao_policy_fired_set_count(p004, as_of, &count), CANBAO_OK);
  CHECK_STATUS(canbao_policy_fired_set(p004, as_of, count, words, 1), CANBAO_INVALID_ARGUMENT);
  CHECK_WHERE("fired_set");
  CHECK(strstr(canbao_last_error(), "numbered from 0") != NULL);
  CHECK_STATUS(canbao_policy_fired_set(p004, as_of, 0, words, 2), CANBAO_INVALID_ARGUMENT);
  CHECK_WHERE("word_count");
  CHECK_STATUS(canbao_policy_fired_set(p004, as_of, 0, NULL, 1), CANBAO_INVALID_ARGUMENT);
  CHECK_WHERE("words");
  CHECK_STATUS(canbao_policy_fired_set(NULL, as_of, 0, words, 1), CANBAO_INVALID_ARGUMENT);
  CHECK_WHERE("policy");
}

static canbao_policy* load(const char* dir, const char* name) {
  char path[1200];
  canbao_policy* p = NULL;
  sprintf(path, "%s/%s", dir, name);
  CHECK_STATUS(canbao_policy_from_file(path, &p), CANBAO_OK);
  if (p == NULL) exit(1);
  return p;
}

int main(int argc, char** argv) {
  canbao_policy *p000, *p004, *p004r;
  if (argc != 2 || strlen(argv[1]) > 1000) return 2;
  p000 = load(argv[1], "000-xx-town-2021.json");
  p004 = load(argv[1], "004-shiyan-2023.json");
  p004r = load(argv[1], "004-shiyan-2023-retirement.json");
  make_persons();
  test_sets_are_the_fired_rows(p004);
  test_sets_are_the_fired_rows(p004r);
  test_bad_arguments(p000, p004);
  canbao_policy_free(p000);
  canbao_policy_free(p004);
  canbao_policy_free(p004r);
  if (failures) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  printf("fired_set: all checks passed\n");
  return 0;
}
