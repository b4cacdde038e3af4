/* canbao.h — the C ABI of canbao (C99; usable from C, Go cgo, Java FFM/JNA,
 * C# P/Invoke, ...). No C++ in this header.
 *
 * Conventions (libgit2 / zstd):
 *  - Every function that can fail returns a canbao_status. CANBAO_OK is 0; the
 *    other values are stable and equal canbao::ErrorKind in C++.
 *  - Results come back through `**out` parameters. What the caller receives it
 *    frees with that type's own free function: a policy with
 *    canbao_policy_free(), a string with canbao_string_free(). Never mix
 *    allocators (do not pass these pointers to free()). Every free function
 *    accepts NULL.
 *  - A NULL pointer where a value is required is an error (CANBAO_INVALID_ARGUMENT),
 *    never a crash. On error nothing is allocated and `*out` is set to NULL
 *    (when `out` itself is not NULL).
 *  - canbao_last_error() gives the calling thread's last error message; it is
 *    never NULL and is owned by the library. No C++ exception crosses this ABI.
 *
 * Thread safety: a canbao_policy is immutable once created. Any number of
 * threads may evaluate with the same policy at the same time (canbao_call_json,
 * canbao_recommend_batch, ...), without locking. Freeing a policy while another
 * thread still uses it is the caller's bug. Error messages are per thread.
 *
 * Dates: JSON requests and responses use ISO "YYYY-MM-DD". The batch API uses
 * day numbers: days since 1970-01-01 (negative before), see canbao_date_from_ymd().
 * Money is always an integer number of fen (1/100 yuan).
 *
 * Personal ID numbers never appear whole in error messages (first 6 + last 4).
 */
#ifndef CANBAO_H
#define CANBAO_H

#include <stddef.h>
#include <stdint.h>

/* CANBAO_API: dllexport/dllimport on Windows, default visibility elsewhere. */
#include "canbao/export.hpp"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- versions ------------------------------------------------------------ */

/* Compile-time version of this header; canbao_version() is the library's.
 * (The same numbers as include/canbao/version.hpp: the build checks.) */
#define CANBAO_VERSION_MAJOR 0
#define CANBAO_VERSION_MINOR 2
#define CANBAO_VERSION_PATCH 0
#define CANBAO_VERSION_NUMBER \
  (CANBAO_VERSION_MAJOR * 10000 + CANBAO_VERSION_MINOR * 100 + CANBAO_VERSION_PATCH)

/* The binary interface version: it changes whenever a struct below or a
 * function signature changes. The library checks it where a struct crosses
 * the boundary (canbao_person_columns.abi_version) and in canbao_abi_check(). */
#define CANBAO_ABI_VERSION 1

/* "0.2.0": the version of the library actually loaded. Static string. */
CANBAO_API const char* canbao_version(void);
/* major * 10000 + minor * 100 + patch of the library actually loaded. */
CANBAO_API unsigned canbao_version_number(void);
/* The ABI version of the library actually loaded. */
CANBAO_API unsigned canbao_abi_version(void);

/* ---- status and errors --------------------------------------------------- */

typedef enum canbao_status {
  CANBAO_OK = 0,
  CANBAO_INVALID_ARGUMENT = 1, /* NULL or unusable argument; the message names it */
  CANBAO_POLICY_ERROR = 2,     /* a policy document is malformed or inconsistent */
  CANBAO_INPUT_ERROR = 3,      /* a request, person, progress or CSV is malformed */
  CANBAO_OVERFLOW = 4,         /* exact integer arithmetic would overflow */
  CANBAO_OUT_OF_MEMORY = 5,
  CANBAO_INTERNAL = 6 /* a bug in canbao: please report it */
} canbao_status;

/* "ok", "invalid_argument", "policy_error", "input_error", "overflow",
 * "out_of_memory", "internal"; "unknown" for any other value. Static string.
 * Takes an int, not canbao_status, so that any number (a status from a newer
 * library, garbage) is answered without loading an out-of-range enum; int has
 * the enum's size, so callers passing a canbao_status are unaffected. */
CANBAO_API const char* canbao_status_name(int status);

/* The calling thread's last error message, "<where>: <what>" (e.g.
 * "campaign.phases[3].end: 2023-02-29 is not a date (2023 is not a leap year)").
 * Never NULL: "" when the thread has had no error. Valid until the thread's
 * next canbao call. Successful calls do not clear it. */
CANBAO_API const char* canbao_last_error(void);
/* Just the place of the last error: a JSON path, "line L, column C", or an
 * argument name; "" when there is none. Same lifetime as canbao_last_error(). */
CANBAO_API const char* canbao_last_error_where(void);
/* The status of the calling thread's last error (CANBAO_OK when none). */
CANBAO_API canbao_status canbao_last_error_status(void);

/* Returns CANBAO_OK when the loaded library speaks `header_abi_version`
 * (pass CANBAO_ABI_VERSION), CANBAO_INVALID_ARGUMENT with a message otherwise. */
CANBAO_API canbao_status canbao_abi_check(unsigned header_abi_version);

/* Strings the library allocates (responses, JSON). Accepts NULL. */
CANBAO_API void canbao_string_free(char* string);

/* ---- dates ---------------------------------------------------------------- */

/* Day number (days since 1970-01-01) of a calendar date; CANBAO_INPUT_ERROR
 * when the date does not exist (2023-02-29). */
CANBAO_API canbao_status canbao_date_from_ymd(int year, int month, int day, int32_t* out);
/* Calendar date of a day number (years 1..9999). */
CANBAO_API canbao_status canbao_date_to_ymd(int32_t day_number, int* year, int* month, int* day);

/* ---- policies --------------------------------------------------------------- */

/* An immutable, validated policy (docs/policy-format.md). Opaque. */
typedef struct canbao_policy canbao_policy;

/* Loads and validates a policy from `len` bytes of JSON text (need not be
 * NUL-terminated). On error *out is NULL and canbao_last_error() names the
 * JSON path. */
CANBAO_API canbao_status canbao_policy_from_json(const char* json, size_t len, canbao_policy** out);
/* The same from a file (UTF-8 JSON). A unit table the policy names
 * ("units": {"table": "units.csv"}) is read from the file's own folder. */
CANBAO_API canbao_status canbao_policy_from_file(const char* path, canbao_policy** out);

/* A file a policy names, handed over by the host (docs/units-table.md): the
 * library opens no file, so a host that got the policy's text from elsewhere
 * reads the unit table itself and passes its bytes. Today one kind: the unit
 * table of "units": {"table": "units.csv"}, found by `name`. */
typedef struct canbao_policy_file {
  const char* name;  /* as the policy writes it: "units.csv" (NUL-terminated) */
  const char* bytes; /* the file's contents (UTF-8 CSV); need not be NUL-terminated */
  size_t size;       /* bytes of `bytes`; `bytes` may be NULL when size is 0 */
} canbao_policy_file;

/* canbao_policy_from_json with the files the policy names: `n_files` entries
 * of `files` (NULL when n_files is 0), copied during the call. Names must be
 * distinct and non-empty (CANBAO_INVALID_ARGUMENT naming "files[1].name");
 * a file the policy does not name is ignored. A bad table cell is
 * CANBAO_POLICY_ERROR at "units.csv:line:column"; a table the policy names but
 * `files` lacks is CANBAO_POLICY_ERROR at "units.table". */
CANBAO_API canbao_status canbao_policy_from_json_files(const char* json, size_t len,
                                                       const canbao_policy_file* files,
                                                       size_t n_files, canbao_policy** out);
/* Accepts NULL. */
CANBAO_API void canbao_policy_free(canbao_policy* policy);

/* SHA-256 (hex) of the canonical policy JSON. *out is owned by the policy and
 * valid while it lives. */
CANBAO_API canbao_status canbao_policy_fingerprint(const canbao_policy* policy, const char** out);
/* Canonical JSON of the policy, NUL-terminated; free with canbao_string_free.
 * `len` may be NULL. */
CANBAO_API canbao_status canbao_policy_to_json(const canbao_policy* policy, char** out,
                                               size_t* len);

/* ---- one JSON entry for every capability --------------------------------- */

/* Evaluates one JSON request and returns the JSON response (NUL-terminated,
 * free with canbao_string_free). `len` bytes of `request` are read. Requests
 * (docs/getting-started-c.md lists every field and its answer):
 *   {"op":"recommend","as_of":"2023-06-30","person":{...}}
 *   {"op":"payouts","as_of":"2021-12-31","progress":[{...}, ...] | "progress_csv":"..."}
 *   {"op":"scores", ...same as payouts}     {"op":"report", ...same as payouts}
 *   {"op":"projections", ...same as payouts, "observations":3 (optional)}
 *   {"op":"values", ...same as payouts, "unit":"...", "metric":"..."} (optional ids)
 *   {"op":"phases_on","date":"2021-07-01"}
 *   {"op":"retirement","sex":"female","birth":"1975-03-10","original_age":55}
 *   {"op":"parse_id","number":"..."}
 *   {"op":"compare","patch":{...}|"reform":{...},"as_of":"...","roster_csv":"..."|"progress_csv":"..."}
 *   {"op":"policy"} (canonical JSON)        {"op":"fingerprint"}   {"op":"version"}   {"op":"ops"}
 * `policy` may be NULL only for "retirement", "parse_id" and "version".
 * Requests carry data, never file names: the library opens no file for a
 * request ("progress_file"/"roster_file" are refused; read the file and send
 * its text). Nesting deeper than 64 levels, duplicate keys and NUL bytes are
 * CANBAO_INPUT_ERROR (docs/getting-started-c.md, "Limits").
 * On error *response is NULL; the status says what kind of error and
 * canbao_last_error() where (e.g. "person.birth: ..."). */
CANBAO_API canbao_status canbao_call_json(const canbao_policy* policy, const char* request,
                                          size_t len, char** response);

/* ---- batch recommendation (no JSON, no allocation per person) ------------ */

/* Stable numbers, equal to the C++ enums (person.hpp, recommendation.hpp). */
enum { CANBAO_SEX_MALE = 0, CANBAO_SEX_FEMALE = 1 };
enum {
  CANBAO_INSURANCE_NONE = 0,
  CANBAO_INSURANCE_RESIDENT_PAYING = 1,
  CANBAO_INSURANCE_RESIDENT_SUSPENDED = 2,
  CANBAO_INSURANCE_EMPLOYEE_PAYING = 3,
  CANBAO_INSURANCE_EMPLOYEE_SUSPENDED = 4,
  CANBAO_INSURANCE_ELSEWHERE_SUSPENDED = 5,
  CANBAO_INSURANCE_RECEIVING_PENSION = 6
};
enum {
  CANBAO_EMPLOYMENT_EMPLOYER = 0,
  CANBAO_EMPLOYMENT_INDIVIDUAL_BUSINESS = 1,
  CANBAO_EMPLOYMENT_PLATFORM_WORKER = 2,
  CANBAO_EMPLOYMENT_LICENSED_FREELANCER = 3,
  CANBAO_EMPLOYMENT_FARMER = 4,
  CANBAO_EMPLOYMENT_STUDENT = 5,
  CANBAO_EMPLOYMENT_UNEMPLOYED = 6,
  CANBAO_EMPLOYMENT_PUBLIC_SECTOR = 7,
  CANBAO_EMPLOYMENT_OTHER = 8
};
/* Bits of canbao_person.flags. */
enum {
  CANBAO_FLAG_DIBAO = 1,
  CANBAO_FLAG_TEKUN = 2,
  CANBAO_FLAG_SEVERE_DISABILITY = 4,
  CANBAO_FLAG_POVERTY_ALLEVIATED = 8,
  CANBAO_FLAG_LAND_EXPROPRIATED = 16,
  CANBAO_FLAG_VILLAGE_CADRE = 32
};
enum { CANBAO_SCHEME_NONE = 0, CANBAO_SCHEME_EMPLOYEE = 1, CANBAO_SCHEME_RESIDENT = 2 };
/* Bits of canbao_recommendation.actions. */
enum {
  CANBAO_ACTION_ENROLL_EMPLOYEE = 1,
  CANBAO_ACTION_ENROLL_RESIDENT = 2,
  CANBAO_ACTION_CONVERT_TO_EMPLOYEE = 4,
  CANBAO_ACTION_BACK_PAY = 8,
  CANBAO_ACTION_GOVERNMENT_PAYS = 16,
  CANBAO_ACTION_TRANSFER_IN = 32,
  CANBAO_ACTION_RESUME_PAYMENT = 64,
  CANBAO_ACTION_RAISE_GRADE = 128
};
/* canbao_recommendation.groups: bit (g - 1) for 004's priority group g (1..8). */

/* One person's facts (a plain struct: fill an array of them). */
typedef struct canbao_person {
  int32_t birth_day;            /* day number of the birth date */
  uint16_t resident_grade_yuan; /* yearly resident contribution grade, 0 for none */
  uint8_t sex;                  /* CANBAO_SEX_* */
  uint8_t hukou_local;          /* 1: local household registration (本区户籍) */
  uint8_t insurance_status;     /* CANBAO_INSURANCE_* */
  uint8_t employment;           /* CANBAO_EMPLOYMENT_* */
  uint8_t flags;                /* CANBAO_FLAG_* bits */
  uint8_t reserved;             /* set to 0 */
} canbao_person;

/* One answer: the same as {"op":"recommend"} without the texts. */
typedef struct canbao_recommendation {
  uint64_t fired_rows; /* bit i: the policy's decision row i fired (see "fired" paths) */
  uint8_t scheme;      /* CANBAO_SCHEME_* */
  uint8_t actions;     /* CANBAO_ACTION_* bits */
  uint8_t groups;      /* bit g-1: priority group g */
  uint8_t reserved[5];
} canbao_recommendation;

/* Recommends for persons[0..count) as of `as_of_day` into results[0..count).
 * Both arrays are the caller's; the library allocates nothing per person.
 * A value outside its range fails the whole call with CANBAO_INPUT_ERROR
 * naming the first bad index and field ("persons[12].employment: ...");
 * results are then unspecified. CANBAO_INVALID_ARGUMENT when the policy has no
 * recommendation section. Thread-safe with a shared policy. */
CANBAO_API canbao_status canbao_recommend_batch(const canbao_policy* policy, int32_t as_of_day,
                                                const canbao_person* persons, size_t count,
                                                canbao_recommendation* results);

/* The same over columns (structure of arrays), e.g. numpy arrays. Set
 * abi_version to CANBAO_ABI_VERSION: the library rejects other values. */
typedef struct canbao_person_columns {
  unsigned abi_version;
  size_t count;
  const uint8_t* sex;
  const int32_t* birth_day;
  const uint8_t* hukou_local;
  const uint8_t* insurance_status;
  const uint8_t* employment;
  const uint16_t* resident_grade_yuan;
  const uint8_t* flags;
} canbao_person_columns;

typedef struct canbao_recommendation_columns {
  unsigned abi_version;
  uint8_t* scheme;
  uint8_t* actions;
  uint8_t* groups;
  uint64_t* fired_rows; /* may be NULL */
} canbao_recommendation_columns;

/* Every input column is range-checked: a bad value is
 * CANBAO_INPUT_ERROR naming the column and row ("columns.birth_day[17]: ...")
 * (the contents of `out` are then unspecified). */
CANBAO_API canbao_status canbao_recommend_columns(const canbao_policy* policy, int32_t as_of_day,
                                                  const canbao_person_columns* in,
                                                  const canbao_recommendation_columns* out);

/* ---- one person, typed (no JSON, no allocation) -------------------------- */

/* The recommendation for one person as of `as_of_day`: the answer of
 * canbao_recommend_batch with count 1 (and of {"op":"recommend"}, without
 * the texts), from the same prepared tables, in well under a microsecond.
 * Every field of *person is range-checked as the batch entries check it; a
 * bad value is CANBAO_INPUT_ERROR naming the field ("person.employment: ...").
 * person->reserved must be 0: a later ABI may give it a meaning, and a
 * library that checks it today cannot misread a newer caller's value.
 * CANBAO_INVALID_ARGUMENT for a NULL argument, an as-of day outside years
 * 1..9999, a policy without a recommendation section or with more than 64
 * decision rows (out->fired_rows is one word). On error *out is all zero.
 * out->fired_rows says why: bit i set when decision row i fired; its path,
 * citation and reason texts are canbao_policy_row(policy, i, ...).
 * The person's declared facts take their defaults (a policy declaring a fact
 * without a default needs canbao_recommend_table). Thread-safe with a shared
 * policy. */
CANBAO_API canbao_status canbao_recommend_one(const canbao_policy* policy, int32_t as_of_day,
                                              const canbao_person* person,
                                              canbao_recommendation* out);

/* One decision row of the policy: what a fired_rows bit means, to show a
 * person why. Versioned like canbao_fact_info: set struct_size to
 * sizeof(canbao_row_info) before the call; a later library appends fields and
 * fills only those that fit. The strings are owned by the policy and valid
 * while it lives. */
typedef struct canbao_row_info {
  size_t struct_size;
  const char* path;      /* "recommendation.tables[0].rows[13]" (or "...otherwise") */
  const char* source;    /* its citation, e.g. "004 三(二)1"; "" when not given */
  const char* reason_zh; /* the row's reason, Chinese */
  const char* reason_en; /* the row's reason, English */
  int32_t table;         /* the table's index in recommendation.tables */
  int32_t row;           /* the row's index in that table's rows; -1 for otherwise */
} canbao_row_info;

/* The number of decision rows (fired_rows bits) of the policy; 0 without a
 * recommendation section. */
CANBAO_API canbao_status canbao_policy_row_count(const canbao_policy* policy, size_t* out);
/* Decision row `row` (0 .. count-1: bit `row` of fired_rows) into *out. */
CANBAO_API canbao_status canbao_policy_row(const canbao_policy* policy, size_t row,
                                           canbao_row_info* out);

/* ---- declared facts and the column-by-name batch entry ------------------ */

/* A policy's declared facts (its "facts" section, docs/policy-format.md#facts):
 * what its tables test beyond the built-in person facts. Every value is one
 * int32: boolean 0/1, enumeration the index of the value, integer the number,
 * date a day number, flags bit i for the declaration's value i. */
enum {
  CANBAO_FACT_BOOLEAN = 0,
  CANBAO_FACT_ENUMERATION = 1,
  CANBAO_FACT_INTEGER = 2,
  CANBAO_FACT_DATE = 3,
  CANBAO_FACT_FLAGS = 4
};

/* One declared fact. Set struct_size to sizeof(canbao_fact_info) before the
 * call: a later library appends fields and fills only those that fit.
 * The strings are owned by the policy and valid while it lives. */
typedef struct canbao_fact_info {
  size_t struct_size;
  const char* id;        /* "prior_contribution_years": the column name in canbao_recommend_table */
  const char* name;      /* "已缴费年限" ("" when not given) */
  const char* column;    /* the roster CSV column it is read from (the id unless declared) */
  uint32_t type;         /* CANBAO_FACT_* */
  uint32_t has_default;  /* 1: a person without the fact takes default_value */
  int32_t default_value; /* encoded as above; 0 when has_default is 0 */
  int32_t min, max;      /* integer: the declared range; date: day numbers; else the int32 range */
  size_t value_count;    /* enumeration and flags: the number of values; 0 otherwise */
} canbao_fact_info;

/* The number of facts the policy declares (0 without a recommendation section). */
CANBAO_API canbao_status canbao_policy_fact_count(const canbao_policy* policy, size_t* out);
/* Fact `index` (0 .. count-1, in declaration order) into *out. */
CANBAO_API canbao_status canbao_policy_fact(const canbao_policy* policy, size_t index,
                                            canbao_fact_info* out);
/* Value `value` (0 .. value_count-1) of an enumeration or flags fact: its id
 * (as written in tables, rosters and JSON) and name; owned by the policy.
 * Either of id and name may be NULL when not wanted. */
CANBAO_API canbao_status canbao_policy_fact_value(const canbao_policy* policy, size_t index,
                                                  size_t value, const char** id, const char** name);
/* Reads `len` bytes of text as a roster cell or JSON string gives fact
 * `index` ("cadre", "graduate;fisher", "2023-06-30", "true", "12") into its
 * int32 code; CANBAO_INPUT_ERROR saying what was expected otherwise. */
CANBAO_API canbao_status canbao_policy_fact_parse(const canbao_policy* policy, size_t index,
                                                  const char* text, size_t len, int32_t* out);

/* The built-in value lists a policy may extend ({"extends": "employment",
 * "values": [...]} in its facts section, docs/facts.md#extending-the-built-in-lists):
 * the values it adds take the codes after the built-in ones
 * (CANBAO_EMPLOYMENT_OTHER + 1, ...; flag bits 6, 7), so built-in codes never move. */
enum {
  CANBAO_LIST_INSURANCE_STATUS = 0, /* the insurance_status column's codes */
  CANBAO_LIST_EMPLOYMENT = 1,       /* the employment column's codes */
  CANBAO_LIST_FLAGS = 2             /* the flags column's bit numbers */
};
/* The number of values of `list` (CANBAO_LIST_*) for this policy: built-in
 * plus added (7, 9 and 6 when it adds none). Codes 0 .. count-1 are valid
 * in its batch columns; any other is CANBAO_INPUT_ERROR. */
CANBAO_API canbao_status canbao_policy_list_value_count(const canbao_policy* policy, uint32_t list,
                                                        size_t* out);
/* Value `code` (0 .. count-1; for flags the bit number) of `list`: its id (as
 * written in tables, rosters and JSON: "farmer", "veteran") and name ("退役军人";
 * "" for built-in values and when not given); owned by the policy. Either of
 * id and name may be NULL when not wanted. */
CANBAO_API canbao_status canbao_policy_list_value(const canbao_policy* policy, uint32_t list,
                                                  size_t code, const char** id, const char** name);
/* Reads `len` bytes of text as a roster cell gives `list` ("veteran"; flags
 * "dibao;land_expropriated_2024", "" for none) into its code (flags: the bits);
 * CANBAO_INPUT_ERROR naming the expected values otherwise. */
CANBAO_API canbao_status canbao_policy_list_value_parse(const canbao_policy* policy, uint32_t list,
                                                        const char* text, size_t len,
                                                        uint32_t* out);

/* 64-bit words of fired rows per person: one per 64 decision rows (1 when the
 * policy has at most 64 rows). canbao_recommend_batch and
 * canbao_recommend_columns report fired rows only for such policies. */
CANBAO_API canbao_status canbao_policy_fired_row_words(const canbao_policy* policy, size_t* out);

/* Column types of canbao_named_column. */
enum { CANBAO_COLUMN_U8 = 1, CANBAO_COLUMN_U16 = 2, CANBAO_COLUMN_I32 = 3 };

/* One input column, by name: a built-in column with its fixed type
 *   sex U8, birth_day I32 (both required), hukou_local U8, insurance_status U8,
 *   employment U8, resident_grade_yuan U16, flags U8 (optional: a column left
 *   out takes the one-person default: CANBAO_INSURANCE_NONE,
 *   CANBAO_EMPLOYMENT_OTHER, 0 for the others)
 * or a declared fact by its id: I32 (used in place), or U8/U16 (converted in
 * chunks; enough for most enumerations and booleans). A fact left out takes
 * its default; a fact without one is required. */
typedef struct canbao_named_column {
  const char* name; /* NUL-terminated */
  uint32_t type;    /* CANBAO_COLUMN_* */
  const void* data; /* count values of that type */
} canbao_named_column;

/* Versioned by struct_size: set it to sizeof(canbao_table_input). */
typedef struct canbao_table_input {
  size_t struct_size;
  size_t count; /* persons */
  const canbao_named_column* columns;
  size_t column_count;
} canbao_table_input;

/* Versioned by struct_size: zero it first (`canbao_table_output out = {0};`:
 * a field a later header adds is then NULL when the caller does not know it)
 * and set struct_size to sizeof(canbao_table_output); a library reads the
 * fields that fit (a caller built against a header before fired_set keeps
 * working). Each array holds count values; fired_rows (may be
 * NULL) holds count * fired_row_words words, person i's at
 * [i * fired_row_words]: bit r % 64 of word r / 64 is the policy's decision
 * row r. fired_row_words must equal canbao_policy_fired_row_words() when
 * fired_rows is given.
 * fired_set (may be NULL) is the narrow form of fired_rows, one byte a
 * person: the number k of the person's fired-row set, whose words are
 * canbao_policy_fired_set(policy, as_of_day, k, ...). Only for policies whose
 * prepared tables number at most 256 sets on that day (see
 * canbao_policy_fired_set_count); otherwise CANBAO_INVALID_ARGUMENT naming
 * "fired_set" and the limit, and fired_rows is the way. */
typedef struct canbao_table_output {
  size_t struct_size;
  uint8_t* scheme;  /* CANBAO_SCHEME_* */
  uint8_t* actions; /* CANBAO_ACTION_* bits */
  uint8_t* groups;  /* bit g-1: priority group g */
  uint64_t* fired_rows;
  size_t fired_row_words;
  uint8_t* fired_set; /* may be NULL; added after 0.2.0 */
} canbao_table_output;

/* The number of distinct fired-row sets canbao_table_output.fired_set numbers
 * on `as_of_day` (1..256). CANBAO_INVALID_ARGUMENT, naming "fired_set" and
 * why, when that day's tables do not number them (over 256 sets, or rules
 * resolved per person without an answer table): ask for fired_rows then. */
CANBAO_API canbao_status canbao_policy_fired_set_count(const canbao_policy* policy,
                                                       int32_t as_of_day, size_t* out);
/* Set `k`'s fired rows into words[0 .. word_count-1]; word_count must be
 * canbao_policy_fired_row_words(). Person i's fired rows are set
 * fired_set[i]'s words. Errors as canbao_policy_fired_set_count, and for k
 * not below the count. */
CANBAO_API canbao_status canbao_policy_fired_set(const canbao_policy* policy, int32_t as_of_day,
                                                 size_t k, uint64_t* words, size_t word_count);

/* Recommends for in->count persons given as named columns; the library
 * allocates nothing per person. An unknown or repeated column name, a wrong
 * type, a NULL data pointer, a missing required column or a fired_row_words
 * mismatch is CANBAO_INVALID_ARGUMENT naming the place ("in.columns[3].name");
 * a value out of its range is CANBAO_INPUT_ERROR naming the column and row
 * ("columns.retirement_category[17]: ..."; outputs then unspecified).
 * Thread-safe with a shared policy. */
CANBAO_API canbao_status canbao_recommend_table(const canbao_policy* policy, int32_t as_of_day,
                                                const canbao_table_input* in,
                                                const canbao_table_output* out);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CANBAO_H */
