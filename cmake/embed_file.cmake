# Script mode: turn IN into a C++ source OUT defining waybill::data::SYMBOL().
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" n)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
math(EXPR size "${n} / 2")
file(WRITE "${OUT}" "// Generated from ${IN}; do not edit.\n#include <string_view>\nnamespace waybill::data {\nstatic const unsigned char k${SYMBOL}[] = {${bytes} 0};\nstd::string_view ${SYMBOL}() { return {reinterpret_cast<const char*>(k${SYMBOL}), ${size}}; }\n}\n")
