/* Recommend a pension scheme for one person with canbao's C ABI.
 *
 *   cc -std=c99 recommend.c $(pkg-config --cflags --libs canbao) -o recommend
 *   ./recommend examples/policies/004-shiyan-2023.json
 *
 * Loads 004's policy (Shiyan town, 2023), asks for a 33-year-old local
 * platform worker as of 2023-06-30, once as JSON and once through the batch
 * entries (the fixed struct, and named columns with every fact the policy
 * declares), prints the answers and frees everything. */
#include <canbao.h>

#include <stdio.h>
#include <string.h>

static int report(canbao_status status, const char* what) {
  fprintf(stderr, "%s failed: %s: %s\n", what, canbao_status_name(status), canbao_last_error());
  return 1;
}

/* The same person as named columns (canbao_recommend_table), the way a host
 * passes a policy's declared facts: here each declared fact is given its
 * declared default, read from the policy's own list. The answer must be the
 * struct entry's. */
#define MAX_FACTS 16
static canbao_status recommend_by_name(const canbao_policy* policy, int32_t as_of,
                                       const canbao_person* person,
                                       const canbao_recommendation* expected) {
  canbao_named_column columns[5 + MAX_FACTS];
  int32_t values[MAX_FACTS];
  canbao_table_input in;
  canbao_table_output out = {0}; /* zeroed: fields a later header adds stay NULL */
  uint8_t scheme = 0, actions = 0, groups = 0;
  size_t count = 0, i;
  canbao_status status = canbao_policy_fact_count(policy, &count);
  if (status != CANBAO_OK) return status;
  columns[0].name = "sex", columns[0].type = CANBAO_COLUMN_U8, columns[0].data = &person->sex;
  columns[1].name = "birth_day", columns[1].type = CANBAO_COLUMN_I32,
  columns[1].data = &person->birth_day;
  columns[2].name = "hukou_local", columns[2].type = CANBAO_COLUMN_U8,
  columns[2].data = &person->hukou_local;
  columns[3].name = "insurance_status", columns[3].type = CANBAO_COLUMN_U8,
  columns[3].data = &person->insurance_status;
  columns[4].name = "employment", columns[4].type = CANBAO_COLUMN_U8,
  columns[4].data = &person->employment;
  for (i = 0; i < count && i < MAX_FACTS; ++i) {
    canbao_fact_info info;
    memset(&info, 0, sizeof info);
    info.struct_size = sizeof info;
    status = canbao_policy_fact(policy, i, &info);
    if (status != CANBAO_OK) return status;
    values[i] = info.default_value; /* a fact without default would need the person's value */
    columns[5 + i].name = info.id, columns[5 + i].type = CANBAO_COLUMN_I32,
                columns[5 + i].data = &values[i];
  }
  in.struct_size = sizeof in, in.count = 1, in.columns = columns, in.column_count = 5 + i;
  memset(&out, 0, sizeof out);
  out.struct_size = sizeof out, out.scheme = &scheme, out.actions = &actions, out.groups = &groups;
  status = canbao_recommend_table(policy, as_of, &in, &out);
  if (status == CANBAO_OK && (scheme != expected->scheme || actions != expected->actions)) {
    fprintf(stderr, "the named columns gave another answer than the struct\n");
    return CANBAO_INTERNAL;
  }
  return status;
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
  if (status != CANBAO_OK) {
    canbao_policy_free(policy);
    return report(status, "canbao_recommend_batch");
  }
  status = recommend_by_name(policy, as_of, &person, &result);
  canbao_policy_free(policy);
  if (status != CANBAO_OK) return report(status, "canbao_recommend_table");
  printf("batch: scheme=%s enroll_employee=%s\n",
         result.scheme == CANBAO_SCHEME_EMPLOYEE   ? "employee"
         : result.scheme == CANBAO_SCHEME_RESIDENT ? "resident"
                                                   : "none",
         (result.actions & CANBAO_ACTION_ENROLL_EMPLOYEE) ? "yes" : "no");
  return 0;
}
