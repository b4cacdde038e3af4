/* Recommend a pension scheme for one person with canbao's C ABI.
 *
 *   cc -std=c99 recommend.c $(pkg-config --cflags --libs canbao) -o recommend
 *   ./recommend examples/policies/004-shiyan-2023.json
 *
 * Loads 004's policy (Shiyan town, 2023), asks for a 33-year-old local
 * platform worker as of 2023-06-30, once as JSON and once through the batch
 * entry, prints both answers and frees everything. */
#include <canbao.h>

#include <stdio.h>
#include <string.h>

static int report(canbao_status status, const char* what) {
  fprintf(stderr, "%s failed: %s: %s\n", what, canbao_status_name(status), canbao_last_error());
  return 1;
}

int main(int argc, char** argv) {
  const char* path = argc > 1 ? argv[1] : "examples/policies/004-shiyan-2023.json";
  const char* request =
      "{\"op\":\"recommend\",\"as_of\":\"2023-06-30\",\"person\":{\"sex\":\"male\","
      "\"birth_date\":\"1990-05-01\",\"hukou_local\":true,\"employment\":\"platform_worker\"}}";
  canbao_policy* policy = NULL;
  char* response = NULL;
  canbao_person person;
  canbao_recommendation result;
  int32_t as_of = 0;
  canbao_status status;

  /* The header this program was compiled with must match the library it runs with. */
  status = canbao_abi_check(CANBAO_ABI_VERSION);
  if (status != CANBAO_OK) return report(status, "canbao_abi_check");

  status = canbao_policy_from_file(path, &policy);
  if (status != CANBAO_OK) return report(status, "canbao_policy_from_file");

  status = canbao_call_json(policy, request, strlen(request), &response);
  if (status != CANBAO_OK) {
    canbao_policy_free(policy);
    return report(status, "canbao_call_json");
  }
  printf("%s\n", response);
  canbao_string_free(response);

  /* The same person through the batch entry: plain structs, no JSON. */
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
  status = canbao_recommend_batch(policy, as_of, &person, 1, &result);
  canbao_policy_free(policy);
  if (status != CANBAO_OK) return report(status, "canbao_recommend_batch");
  printf("batch: scheme=%s enroll_employee=%s\n",
         result.scheme == CANBAO_SCHEME_EMPLOYEE   ? "employee"
         : result.scheme == CANBAO_SCHEME_RESIDENT ? "resident"
                                                   : "none",
         (result.actions & CANBAO_ACTION_ENROLL_EMPLOYEE) ? "yes" : "no");
  return 0;
}
