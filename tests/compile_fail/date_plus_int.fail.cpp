// Must not compile: days are counted with Days, not bare integers. Without
// CANBAO_COMPILE_FAIL the right line (Days(3)) must compile.
#include <canbao/date.hpp>
int main() {
  canbao::Date a;
#ifdef CANBAO_COMPILE_FAIL
  auto c = a + 3;
#else
  auto c = a + canbao::Days(3);
#endif
  (void)c;
}
