// Must not compile: a date plus money has no meaning. Without CANBAO_COMPILE_FAIL
// the right line (a date plus Days) must compile, so the test fails for this reason.
#include <canbao/date.hpp>
#include <canbao/money.hpp>
int main() {
  canbao::Date a;
  canbao::Fen f(100);
#ifdef CANBAO_COMPILE_FAIL
  auto c = a + f;
#else
  auto c = a + canbao::Days(100);
#endif
  (void)c;
  (void)f;
}
