/* A canbao_policy is immutable: 8 threads evaluating with the same policies
 * at once must give exactly the single-threaded answers (JSON responses byte
 * for byte, batch results field for field).
 * Usage: test_c_threads <examples directory> */
#define _POSIX_C_SOURCE 200809L
#include <canbao.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THREADS 8
#define ROUNDS 3
#define PERSONS 20000
#define MAX_REQUESTS 160

static const canbao_policy* policy_000;
static const canbao_policy* policy_004;
static char* requests[MAX_REQUESTS];
static const canbao_policy* request_policy[MAX_REQUESTS];
static char* expected[MAX_REQUESTS];
static int request_count;
static canbao_person persons[PERSONS];
static canbao_recommendation expected_batch[PERSONS];
static int32_t as_of_day;

static char* answer(const canbao_policy* p, const char* request) {
  char* response = NULL;
  canbao_status s = canbao_call_json(p, request, strlen(request), &response);
  if (s != CANBAO_OK) {
    fprintf(stderr, "request %s failed: %s\n", request, canbao_last_error());
    return NULL;
  }
  return response;
}

static void add_request(const canbao_policy* p, const char* text) {
  char* copy = malloc(strlen(text) + 1);
  strcpy(copy, text);
  request_policy[request_count] = p;
  requests[request_count++] = copy;
}

/* The report request carries the progress CSV as text (call_json reads no
 * file): the file's bytes as a JSON string. Returns NULL on failure. */
static char* report_request(const char* examples) {
  char path[1200];
  FILE* f;
  char* out;
  size_t n = 0;
  int c;
  const char* head = "{\"op\":\"report\",\"as_of\":\"2021-12-31\",\"progress_csv\":\"";
  sprintf(path, "%s/progress/000-xx-town-2021.csv", examples);
  f = fopen(path, "rb");
  if (f == NULL) return NULL;
  fseek(f, 0, SEEK_END);
  out = malloc(strlen(head) + 2 * (size_t)ftell(f) + 3);
  fseek(f, 0, SEEK_SET);
  strcpy(out, head);
  n = strlen(out);
  while ((c = fgetc(f)) != EOF) {
    if (c == '\n') {
      out[n++] = '\\';
      out[n++] = 'n';
    } else if (c == '"' || c == '\\') {
      out[n++] = '\\';
      out[n++] = (char)c;
    } else if (c != '\r') {
      out[n++] = (char)c;
    }
  }
  fclose(f);
  strcpy(out + n, "\"}");
  return out;
}

static void* worker(void* arg) {
  int* mismatches = arg;
  canbao_recommendation* got = malloc(sizeof(canbao_recommendation) * PERSONS);
  int round, i;
  for (round = 0; round < ROUNDS; ++round) {
    for (i = 0; i < request_count; ++i) {
      char* r = answer(request_policy[i], requests[i]);
      if (r == NULL || strcmp(r, expected[i]) != 0) ++*mismatches;
      canbao_string_free(r);
    }
    if (canbao_recommend_batch(policy_004, as_of_day, persons, PERSONS, got) != CANBAO_OK ||
        memcmp(got, expected_batch, sizeof(canbao_recommendation) * PERSONS) != 0) {
      ++*mismatches;
    }
    /* One person at a time (issue 15): the same answers as the batch, from
     * the same prepared tables the threads share. */
    for (i = 0; i < PERSONS; ++i) {
      canbao_recommendation one;
      if (canbao_recommend_one(policy_004, as_of_day, &persons[i], &one) != CANBAO_OK ||
          memcmp(&one, &expected_batch[i], sizeof one) != 0) {
        ++*mismatches;
      }
    }
  }
  free(got);
  return NULL;
}

int main(int argc, char** argv) {
  char path[1200], text[600];
  canbao_policy *p000 = NULL, *p004 = NULL;
  pthread_t threads[THREADS];
  int mismatches[THREADS] = {0};
  int i, total = 0;
  unsigned seed = 12345u;
  if (argc != 2 || strlen(argv[1]) > 1000) return 2;

  sprintf(path, "%s/policies/000-xx-town-2021.json", argv[1]);
  if (canbao_policy_from_file(path, &p000) != CANBAO_OK)
    return fprintf(stderr, "%s\n", canbao_last_error()), 1;
  sprintf(path, "%s/policies/004-shiyan-2023.json", argv[1]);
  if (canbao_policy_from_file(path, &p004) != CANBAO_OK)
    return fprintf(stderr, "%s\n", canbao_last_error()), 1;
  policy_000 = p000;
  policy_004 = p004;

  /* Varied persons for 004 (deterministic pseudo-random facts). */
  for (i = 0; i < 120; ++i) {
    seed = seed * 1103515245u + 12345u;
    sprintf(
        text,
        "{\"op\":\"recommend\",\"as_of\":\"2023-06-30\",\"person\":{\"sex\":\"%s\","
        "\"birth_date\":\"%d-%02d-%02d\",\"hukou_local\":%s,\"employment\":\"%s\","
        "\"insurance_status\":\"%s\",\"flags\":[%s]}}",
        (seed >> 3) % 2 ? "male" : "female", 1940 + (int)((seed >> 5) % 70),
        1 + (int)((seed >> 9) % 12), 1 + (int)((seed >> 13) % 28),
        (seed >> 17) % 2 ? "true" : "false",
        (seed >> 19) % 3 == 0 ? "platform_worker" : ((seed >> 19) % 3 == 1 ? "farmer" : "employer"),
        (seed >> 21) % 2 ? "none" : "resident_paying", (seed >> 23) % 5 == 0 ? "\"dibao\"" : "");
    add_request(p004, text);
  }
  for (i = 1; i <= 12; ++i) {
    sprintf(text, "{\"op\":\"phases_on\",\"date\":\"2021-%02d-15\"}", i);
    add_request(p000, text);
  }
  {
    char* report = report_request(argv[1]);
    if (report == NULL) return fprintf(stderr, "cannot read the 000 progress CSV\n"), 1;
    add_request(p000, report);
    free(report);
  }
  add_request(
      NULL, "{\"op\":\"retirement\",\"sex\":\"female\",\"birth\":\"1975-03\",\"original_age\":50}");

  for (i = 0; i < request_count; ++i) {
    expected[i] = answer(request_policy[i], requests[i]);
    if (expected[i] == NULL) return 1;
  }

  for (i = 0; i < PERSONS; ++i) {
    seed = seed * 1103515245u + 12345u;
    persons[i].sex = (uint8_t)((seed >> 3) % 2);
    persons[i].birth_day = -20000 + (int32_t)((seed >> 5) % 32000);
    persons[i].hukou_local = (uint8_t)((seed >> 7) % 2);
    persons[i].insurance_status = (uint8_t)((seed >> 9) % 7);
    persons[i].employment = (uint8_t)((seed >> 13) % 9);
    persons[i].resident_grade_yuan = (uint16_t)(((seed >> 17) % 4) * 500);
    persons[i].flags = (uint8_t)((seed >> 20) % 64);
  }
  if (canbao_date_from_ymd(2023, 6, 30, &as_of_day) != CANBAO_OK ||
      canbao_recommend_batch(p004, as_of_day, persons, PERSONS, expected_batch) != CANBAO_OK) {
    fprintf(stderr, "batch: %s\n", canbao_last_error());
    return 1;
  }

  for (i = 0; i < THREADS; ++i) pthread_create(&threads[i], NULL, worker, &mismatches[i]);
  for (i = 0; i < THREADS; ++i) {
    pthread_join(threads[i], NULL);
    total += mismatches[i];
  }
  for (i = 0; i < request_count; ++i) {
    free(requests[i]);
    canbao_string_free(expected[i]);
  }
  canbao_policy_free(p000);
  canbao_policy_free(p004);
  if (total != 0) {
    fprintf(stderr, "%d answers differed from the single-threaded ones\n", total);
    return 1;
  }
  printf("%d threads x %d rounds x (%d requests + %d persons, batch and one by one): identical\n",
         THREADS, ROUNDS, request_count, PERSONS);
  return 0;
}
