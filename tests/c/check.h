/* The C tests' checks: each failed check is counted in `failures` and
 * printed with the library's last error, and a test program exits non-zero
 * when any failed. One copy for every tests/c program (C99). */
#ifndef CANBAO_TESTS_C_CHECK_H
#define CANBAO_TESTS_C_CHECK_H

#include <canbao.h>

#include <stdio.h>
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

#define CHECK_WHERE(want)                                                                   \
  do {                                                                                      \
    if (strcmp(canbao_last_error_where(), (want)) != 0) {                                   \
      ++failures;                                                                           \
      fprintf(stderr, "%s:%d: error at \"%s\", expected \"%s\" (%s)\n", __FILE__, __LINE__, \
              canbao_last_error_where(), (want), canbao_last_error());                      \
    }                                                                                       \
  } while (0)

#endif /* CANBAO_TESTS_C_CHECK_H */
