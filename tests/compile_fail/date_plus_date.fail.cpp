// Must not compile: adding two dates has no meaning. Without CANBAO_COMPILE_FAIL
// the right line (a date plus Days) must compile, so the test fails for this reason.
#include <canbao/date.hpp>
int main() {
  canbao::Date a, b;
#ifdef CANBAO_COMPILE_FAIL
  auto c = a + b;
#else
  auto c = a + (b - a);
#endif
  (void)c;
}
