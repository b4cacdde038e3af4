// Must not compile: a date plus money has no meaning.
#include <canbao/date.hpp>
#include <canbao/money.hpp>
int main() {
  canbao::Date a;
  canbao::Fen f(100);
  auto c = a + f;
  (void)c;
}
