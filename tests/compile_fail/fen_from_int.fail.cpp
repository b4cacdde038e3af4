// Must not compile: a plain integer does not silently become money.
#include <canbao/money.hpp>
int main() {
  canbao::Fen f = 100;
  (void)f;
}
