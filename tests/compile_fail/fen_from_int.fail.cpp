// Must not compile: a plain integer does not silently become money. Without
// CANBAO_COMPILE_FAIL the right line (explicit Fen(100)) must compile.
#include <canbao/money.hpp>
int main() {
#ifdef CANBAO_COMPILE_FAIL
  canbao::Fen f = 100;
#else
  canbao::Fen f(100);
#endif
  (void)f;
}
