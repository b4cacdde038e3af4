// Must not compile: days are counted with Days, not bare integers.
#include <canbao/date.hpp>
int main() {
  canbao::Date a;
  auto c = a + 3;
  (void)c;
}
