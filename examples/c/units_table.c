/* A policy whose units are a CSV table, loaded from C (docs/units-table.md).
 *
 *   cc -std=c99 units_table.c $(pkg-config --cflags --libs canbao) -o units_table
 *   ./units_table examples/units-table/000-xx-town-2021.json examples/units-table/000-units.csv
 *
 * The policy names its table ("units": {"table": "000-units.csv"}). The
 * library opens no file: the host reads the policy and the table (from
 * wherever it keeps them: disk, a database, a request) and hands both over
 * with canbao_policy_from_json_files. The fingerprint is the one of the same
 * nine units written inline (examples/policies/000-xx-town-2021.json).
 * canbao_policy_from_file would read the table from the policy's own folder. */
#include <canbao.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The whole file into a malloc'ed buffer (*size bytes); NULL when unreadable. */
static char* read_file(const char* path, size_t* size) {
  FILE* f = fopen(path, "rb");
  char* bytes = NULL;
  long n;
  if (f == NULL) return NULL;
  if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
    bytes = (char*)malloc((size_t)n + 1);
    if (bytes != NULL && fread(bytes, 1, (size_t)n, f) != (size_t)n) {
      free(bytes);
      bytes = NULL;
    }
    *size = (size_t)n;
  }
  fclose(f);
  return bytes;
}

int main(int argc, char** argv) {
  const char* policy_path = argc > 1 ? argv[1] : "examples/units-table/000-xx-town-2021.json";
  const char* table_path = argc > 2 ? argv[2] : "examples/units-table/000-units.csv";
  const char* slash = strrchr(table_path, '/');
  size_t policy_size = 0, table_size = 0;
  char* policy_json = read_file(policy_path, &policy_size);
  char* table_csv = read_file(table_path, &table_size);
  canbao_policy* policy = NULL;
  canbao_policy_file table;
  const char* fingerprint = NULL;
  canbao_status status;
  int code = 1;
  if (policy_json == NULL || table_csv == NULL) {
    fprintf(stderr, "cannot read %s\n", policy_json == NULL ? policy_path : table_path);
    goto done;
  }

  /* Without the table, the plain entry says how to hand it over. */
  status = canbao_policy_from_json(policy_json, policy_size, &policy);
  printf("without the table: %s: %s\n", canbao_status_name(status), canbao_last_error());

  /* The table by the name the policy gives it (here the file's own name). */
  table.name = slash ? slash + 1 : table_path;
  table.bytes = table_csv;
  table.size = table_size;
  status = canbao_policy_from_json_files(policy_json, policy_size, &table, 1, &policy);
  if (status != CANBAO_OK) {
    /* A bad cell is named "000-units.csv:line:column: ...". */
    fprintf(stderr, "%s: %s\n", canbao_status_name(status), canbao_last_error());
    goto done;
  }
  if (canbao_policy_fingerprint(policy, &fingerprint) == CANBAO_OK) {
    printf("with the table: fingerprint %s\n", fingerprint);
    code = 0;
  }

done:
  canbao_policy_free(policy);
  free(policy_json);
  free(table_csv);
  return code;
}
