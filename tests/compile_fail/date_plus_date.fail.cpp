// Must not compile: adding two dates has no meaning.
#include <canbao/date.hpp>
int main() {
  canbao::Date a, b;
  auto c = a + b;
  (void)c;
}
