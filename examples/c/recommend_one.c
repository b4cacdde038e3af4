/* One person, no JSON: canbao_recommend_one (issue 15) and why.
 *
 *   cc -std=c99 recommend_one.c $(pkg-config --cflags --libs canbao) -o recommend_one
 *   ./recommend_one examples/policies/004-shiyan-2023.json
 *
 * Loads 004's policy (Shiyan town, 2023) and asks, as of 2023-06-30, about a
 * 33-year-old local platform worker (004 二(三)(四), 三(三): the employee
 * scheme; priority group 3): the scheme, the actions, the priority
 * groups, and each decision row that fired with its citation and reason
 * (canbao_policy_row). A host answering many single persons (a counter
 * clerk's screen, a service) calls this in place of {"op":"recommend"}: the
 * same answer without the texts, in a fraction of a microsecond. */
#include <canbao.h>

#include <stdio.h>
#include <string.h>

static int report(canbao_status status, const char* what) {
  fprintf(stderr, "%s failed: %s: %s\n", what, canbao_status_name(status), canbao_last_error());
  return 1;
}

int main(int argc, char** argv) {
  const char* path = argc > 1 ? argv[1] : "examples/policies/004-shiyan-2023.json";
  const char* schemes[] = {"none", "employee", "resident"};
  canbao_policy* policy = NULL;
  canbao_person person;
  canbao_recommendation answer;
  int32_t as_of = 0;
  size_t rows = 0, row;
  int g;
  canbao_status status = canbao_abi_check(CANBAO_ABI_VERSION);
  if (status != CANBAO_OK) return report(status, "canbao_abi_check");
  status = canbao_policy_from_file(path, &policy);
  if (status != CANBAO_OK) return report(status, "canbao_policy_from_file");

  /* Zero the struct first: `reserved` must be 0. */
  memset(&person, 0, sizeof person);
  person.sex = CANBAO_SEX_MALE;
  person.hukou_local = 1;
  person.insurance_status = CANBAO_INSURANCE_NONE;
  person.employment = CANBAO_EMPLOYMENT_PLATFORM_WORKER;
  if (canbao_date_from_ymd(1990, 5, 1, &person.birth_day) != CANBAO_OK ||
      canbao_date_from_ymd(2023, 6, 30, &as_of) != CANBAO_OK) {
    canbao_policy_free(policy);
    return report(CANBAO_INPUT_ERROR, "canbao_date_from_ymd");
  }
  status = canbao_recommend_one(policy, as_of, &person, &answer);
  if (status != CANBAO_OK) {
    canbao_policy_free(policy);
    return report(status, "canbao_recommend_one");
  }
  printf("scheme=%s enroll_employee=%s groups=", schemes[answer.scheme],
         (answer.actions & CANBAO_ACTION_ENROLL_EMPLOYEE) ? "yes" : "no");
  for (g = 1; g <= 8; ++g)
    if (answer.groups & (1u << (g - 1))) printf("g%d ", g);
  printf("\n");

  /* Why: every fired row, as {"op":"recommend"} lists them under "fired". */
  canbao_policy_row_count(policy, &rows);
  for (row = 0; row < rows; ++row) {
    canbao_row_info info;
    if (!(answer.fired_rows >> row & 1u)) continue;
    memset(&info, 0, sizeof info);
    info.struct_size = sizeof info; /* a later library fills only what fits */
    if (canbao_policy_row(policy, row, &info) != CANBAO_OK) break;
    printf("fired %s [%s]: %s\n", info.path, info.source, info.reason_en);
  }
  canbao_policy_free(policy);
  return 0;
}
