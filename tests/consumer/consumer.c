/* A downstream C99 program against canbao.h only (pkg-config or the
 * canbao::canbao_shared CMake target). Prints the phases on a day. */
#include <canbao.h>

#include <stdio.h>
#include <string.h>

int main(int argc, char** argv) {
  canbao_policy* policy = NULL;
  char request[128];
  char* response = NULL;
  canbao_status status;
  if (argc != 3 || strlen(argv[2]) != 10) return 2;
  if (canbao_abi_check(CANBAO_ABI_VERSION) != CANBAO_OK)
    return fprintf(stderr, "%s\n", canbao_last_error()), 1;
  if (canbao_policy_from_file(argv[1], &policy) != CANBAO_OK)
    return fprintf(stderr, "%s\n", canbao_last_error()), 1;
  sprintf(request, "{\"op\":\"phases_on\",\"date\":\"%s\"}", argv[2]);
  status = canbao_call_json(policy, request, strlen(request), &response);
  canbao_policy_free(policy);
  if (status != CANBAO_OK) return fprintf(stderr, "%s\n", canbao_last_error()), 1;
  printf("canbao %s (C)\n%s\n", canbao_version(), response);
  canbao_string_free(response);
  return 0;
}
