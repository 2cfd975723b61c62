#include <cstdio>
int main() { std::puts("waybill"); return 0; }
