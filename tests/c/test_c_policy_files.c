/* canbao_policy_from_json_files from C99 (issue 15): a C host hands a unit
 * table over as bytes and gets the inline policy's fingerprint; the plain
 * canbao_policy_from_json says how to hand the table over; bad cells name
 * file:line:column; every bad argument is named; an ID number in the table
 * never comes back whole.
 * Usage: test_c_policy_files <examples directory> */
#include <canbao.h>

#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK_MESSAGE_HAS(part)                                                              \
  do {                                                                                       \
    if (strstr(canbao_last_error(), (part)) == NULL) {                                       \
      ++failures;                                                                            \
      fprintf(stderr, "%s:%d: \"%s\" not in the error \"%s\"\n", __FILE__, __LINE__, (part), \
              canbao_last_error());                                                          \
    }                                                                                        \
  } while (0)

static char examples[1024];

/* The whole file, NUL-terminated (*size without the NUL); exits when missing. */
static char* slurp(const char* relative, size_t* size) {
  char path[1200];
  FILE* f;
  char* text;
  long n;
  sprintf(path, "%s/%s", examples, relative);
  f = fopen(path, "rb");
  if (f == NULL) {
    fprintf(stderr, "cannot open %s\n", path);
    exit(2);
  }
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fseek(f, 0, SEEK_SET);
  text = (char*)malloc((size_t)n + 1);
  if (text == NULL || fread(text, 1, (size_t)n, f) != (size_t)n) exit(2);
  text[n] = '\0';
  fclose(f);
  if (size) *size = (size_t)n;
  return text;
}

static char* policy_text; /* examples/units-table/000-xx-town-2021.json */
static size_t policy_size;
static char* table_text; /* examples/units-table/000-units.csv */
static size_t table_size;

/* The tabled 000 policy with one table `csv` named "000-units.csv". */
static canbao_status load_with(const char* csv, canbao_policy** out) {
  canbao_policy_file file;
  file.name = "000-units.csv";
  file.bytes = csv;
  file.size = strlen(csv);
  return canbao_policy_from_json_files(policy_text, policy_size, &file, 1, out);
}

/* The table must fail to load with a policy error at `where` (file:line:column). */
static void table_fails(const char* csv, const char* where, const char* part) {
  canbao_policy* p = (canbao_policy*)1;
  CHECK_STATUS(load_with(csv, &p), CANBAO_POLICY_ERROR);
  CHECK(p == NULL);
  CHECK_WHERE(where);
  if (part) CHECK_MESSAGE_HAS(part);
}

static const char* kHeader =
    "id,name,level,parent,target.resident_enrolled,target.resident_paid,source\n";
static const char* kTown = "xx-town,XX镇,town,,10470,8540,\n";

static void test_a_table_handed_over_is_the_inline_policy(void) {
  canbao_policy* inline_policy = NULL;
  canbao_policy* from_file = NULL;
  canbao_policy* tabled = NULL;
  const char *a = NULL, *b = NULL, *c = NULL;
  char path[1200];
  canbao_policy_file file;
  char* response = NULL;
  sprintf(path, "%s/policies/000-xx-town-2021.json", examples);
  CHECK_STATUS(canbao_policy_from_file(path, &inline_policy), CANBAO_OK);
  sprintf(path, "%s/units-table/000-xx-town-2021.json", examples);
  CHECK_STATUS(canbao_policy_from_file(path, &from_file), CANBAO_OK);
  file.name = "000-units.csv";
  file.bytes = table_text;
  file.size = table_size;
  CHECK_STATUS(canbao_policy_from_json_files(policy_text, policy_size, &file, 1, &tabled),
               CANBAO_OK);
  CHECK(tabled != NULL);
  if (inline_policy && from_file && tabled) {
    CHECK_STATUS(canbao_policy_fingerprint(inline_policy, &a), CANBAO_OK);
    CHECK_STATUS(canbao_policy_fingerprint(from_file, &b), CANBAO_OK);
    CHECK_STATUS(canbao_policy_fingerprint(tabled, &c), CANBAO_OK);
    /* docs/units-table.md: the same policy as 000's nine units inline. */
    CHECK(strcmp(a, "ae224e3e08672f22b17769bdea51b65cab76334aff1c20f1a319c78af7bb3431") == 0);
    CHECK(strcmp(a, b) == 0);
    CHECK(strcmp(a, c) == 0);
    /* Its canonical JSON carries the units inline: the table's village is there. */
    CHECK_STATUS(canbao_call_json(tabled, "{\"op\":\"policy\"}", 15, &response), CANBAO_OK);
    CHECK(response != NULL && strstr(response, "\"xiangyang\"") != NULL);
    CHECK(response != NULL && strstr(response, "\"table\"") == NULL);
    canbao_string_free(response);
  }
  canbao_policy_free(inline_policy);
  canbao_policy_free(from_file);
  canbao_policy_free(tabled);
}

static void test_bytes_are_read_to_size_only(void) {
  /* The table's bytes need not be NUL-terminated: what follows `size` is not read. */
  char* padded = (char*)malloc(table_size + 40);
  canbao_policy* p = NULL;
  canbao_policy_file files[2];
  const char* fingerprint = NULL;
  memcpy(padded, table_text, table_size);
  memcpy(padded + table_size, "garbage,not,a,unit\n\"open quote", 30);
  files[0].name = "other.csv"; /* a file the policy does not name is ignored */
  files[0].bytes = "x";
  files[0].size = 1;
  files[1].name = "000-units.csv";
  files[1].bytes = padded;
  files[1].size = table_size;
  CHECK_STATUS(canbao_policy_from_json_files(policy_text, policy_size, files, 2, &p), CANBAO_OK);
  if (p) {
    CHECK_STATUS(canbao_policy_fingerprint(p, &fingerprint), CANBAO_OK);
    CHECK(strncmp(fingerprint, "ae224e3e", 8) == 0);
  }
  canbao_policy_free(p);
  free(padded);
}

static void test_without_the_table(void) {
  canbao_policy* p = (canbao_policy*)1;
  canbao_policy_file file;
  /* The plain entry: a policy error that says how to hand the table over. */
  CHECK_STATUS(canbao_policy_from_json(policy_text, policy_size, &p), CANBAO_POLICY_ERROR);
  CHECK(p == NULL);
  CHECK_WHERE("units.table");
  CHECK_MESSAGE_HAS("no unit table \"000-units.csv\" was handed over");
  CHECK_MESSAGE_HAS("canbao_policy_from_json_files");
  /* No files at all, and a file of another name. */
  p = (canbao_policy*)1;
  CHECK_STATUS(canbao_policy_from_json_files(policy_text, policy_size, NULL, 0, &p),
               CANBAO_POLICY_ERROR);
  CHECK(p == NULL);
  CHECK_WHERE("units.table");
  file.name = "units.csv";
  file.bytes = table_text;
  file.size = table_size;
  CHECK_STATUS(canbao_policy_from_json_files(policy_text, policy_size, &file, 1, &p),
               CANBAO_POLICY_ERROR);
  CHECK_WHERE("units.table");
  /* An inline policy needs no files. */
  {
    size_t n = 0;
    char* inline_text = slurp("policies/000-xx-town-2021.json", &n);
    CHECK_STATUS(canbao_policy_from_json_files(inline_text, n, NULL, 0, &p), CANBAO_OK);
    canbao_policy_free(p);
    free(inline_text);
  }
}

static void test_bad_cells_name_the_place(void) {
  char csv[2048];
  sprintf(csv, "%s%sa,A村,village,xx-town,12x,,\n", kHeader, kTown);
  table_fails(csv, "000-units.csv:3:5", "whole number");
  sprintf(csv, "%s%sa,A村,village,nowhere,1,,\n", kHeader, kTown);
  table_fails(csv, "000-units.csv:3:4", "no unit \"nowhere\"");
  sprintf(csv, "%s%sxx-town,X,town,,,,\n", kHeader, kTown);
  table_fails(csv, "000-units.csv:3:1", "also 000-units.csv:2:1");
  sprintf(csv, "id,name,level,taget.resident_enrolled\n%s", kTown);
  table_fails(csv, "000-units.csv:1:4", "unknown column");
  table_fails(kHeader, "000-units.csv", "no rows");
  /* An empty table (NULL bytes of size 0 are allowed). */
  {
    canbao_policy* p = (canbao_policy*)1;
    canbao_policy_file file;
    file.name = "000-units.csv";
    file.bytes = NULL;
    file.size = 0;
    CHECK_STATUS(canbao_policy_from_json_files(policy_text, policy_size, &file, 1, &p),
                 CANBAO_POLICY_ERROR);
    CHECK(p == NULL);
  }
  /* Not UTF-8 (GBK bytes of 东风村): the place and the encoding. */
  sprintf(csv, "%s%sdongfeng,\xb6\xab\xb7\xe7\xb4\xe5,village,xx-town,1,1,\n", kHeader, kTown);
  table_fails(csv, "000-units.csv:3:2", "UTF-8");
}

static void test_bad_arguments_are_named(void) {
  canbao_policy* p = (canbao_policy*)1;
  canbao_policy_file files[2];
  files[0].name = "000-units.csv";
  files[0].bytes = table_text;
  files[0].size = table_size;
  files[1] = files[0];

  CHECK_STATUS(canbao_policy_from_json_files(policy_text, policy_size, files, 1, NULL),
               CANBAO_INVALID_ARGUMENT);
  CHECK_WHERE("out");
  CHECK_STATUS(canbao_policy_from_json_files(NULL, 0, files, 1, &p), CANBAO_INVALID_ARGUMENT);
  CHECK(p == NULL);
  CHECK_WHERE("json");
  p = (canbao_policy*)1;
  CHECK_STATUS(canbao_policy_from_json_files(policy_text, policy_size, NULL, 1, &p),
               CANBAO_INVALID_ARGUMENT);
  CHECK(p == NULL);
  CHECK_WHERE("files");
  files[1].name = NULL;
  CHECK_STATUS(canbao_policy_from_json_files(policy_text, policy_size, files, 2, &p),
               CANBAO_INVALID_ARGUMENT);
  CHECK_WHERE("files[1].name");
  CHECK_MESSAGE_HAS("must not be NULL");
  files[1].name = "";
  CHECK_STATUS(canbao_policy_from_json_files(policy_text, policy_size, files, 2, &p),
               CANBAO_INVALID_ARGUMENT);
  CHECK_WHERE("files[1].name");
  CHECK_MESSAGE_HAS("is empty");
  files[1].name = "000-units.csv";
  CHECK_STATUS(canbao_policy_from_json_files(policy_text, policy_size, files, 2, &p),
               CANBAO_INVALID_ARGUMENT);
  CHECK_WHERE("files[1].name");
  CHECK_MESSAGE_HAS("\"000-units.csv\" is also files[0].name");
  files[1].name = "b.csv";
  files[1].bytes = NULL;
  files[1].size = 3;
  CHECK_STATUS(canbao_policy_from_json_files(policy_text, policy_size, files, 2, &p),
               CANBAO_INVALID_ARGUMENT);
  CHECK_WHERE("files[1].bytes");
  CHECK(p == NULL);
  /* A JSON syntax error is the document's, as with canbao_policy_from_json. */
  CHECK_STATUS(canbao_policy_from_json_files("{\"units\":", 9, files, 1, &p), CANBAO_POLICY_ERROR);
  CHECK(p == NULL);
}

/* docs/resident-id.md: a number typed into a unit's name or id is masked in
 * every message; the policy itself (its canonical JSON) is the host's own data. */
static void test_an_id_number_never_comes_back_whole(void) {
  const char* number = "500115198003012010";
  char csv[2048];
  canbao_policy* p = NULL;
  /* As an id given twice: the duplicate's message quotes the id. */
  sprintf(csv, "%s%s%s,甲村,village,xx-town,1,1,\n%s,乙村,village,xx-town,1,1,\n", kHeader, kTown,
          number, number);
  table_fails(csv, "000-units.csv:4:1", "duplicate unit id \"500115********2010\"");
  CHECK(strstr(canbao_last_error(), number) == NULL);
  /* As a parent that is no unit. */
  sprintf(csv, "%s%sa,A村,village,%s,1,1,\n", kHeader, kTown, number);
  table_fails(csv, "000-units.csv:3:4", "500115********2010");
  CHECK(strstr(canbao_last_error(), number) == NULL);
  /* As a bad count (with its check character X it is no whole number). */
  sprintf(csv, "%s%sa,A村,village,xx-town,11010519491231002X,1,\n", kHeader, kTown);
  table_fails(csv, "000-units.csv:3:5", "110105********002X");
  CHECK(strstr(canbao_last_error(), "11010519491231002X") == NULL);
  /* As a count it is a number like any other: the policy loads. */
  sprintf(csv, "%s%sa,A村,village,xx-town,%s,1,\n", kHeader, kTown, number);
  CHECK_STATUS(load_with(csv, &p), CANBAO_OK);
  canbao_policy_free(p);
}

int main(int argc, char** argv) {
  if (argc != 2 || strlen(argv[1]) >= sizeof examples) {
    fprintf(stderr, "usage: %s <examples directory>\n", argv[0]);
    return 2;
  }
  strcpy(examples, argv[1]);
  policy_text = slurp("units-table/000-xx-town-2021.json", &policy_size);
  table_text = slurp("units-table/000-units.csv", &table_size);
  test_a_table_handed_over_is_the_inline_policy();
  test_bytes_are_read_to_size_only();
  test_without_the_table();
  test_bad_cells_name_the_place();
  test_bad_arguments_are_named();
  test_an_id_number_never_comes_back_whole();
  free(policy_text);
  free(table_text);
  if (failures) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  printf("C ABI policy files: all checks passed\n");
  return 0;
}
