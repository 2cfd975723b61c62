// Helpers shared by the CLI command files (only the CLI prints and chooses exit codes).
#pragma once

#include <string>
#include <vector>

#include "core/diagnostic.h"

namespace waybill::cli {

// Exit codes of every command.
constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;  // --fail-on / --fail-on-kev / policy / verification failed
constexpr int kExitUsage = 2;
constexpr int kExitInput = 3;  // input unreadable, output not writable

// $WAYBILL_CACHE_DIR, else $XDG_CACHE_HOME/waybill, else ~/.cache/waybill ("" = no cache).
std::string cache_dir();
void print_diagnostics(const std::vector<Diagnostic>& ds, bool verbose);
// Writes `text` to `file`, or to stdout for "" / "-". False (with a message) on failure.
bool write_text(const std::string& file, const std::string& text, bool quiet,
                const std::string& what);

}  // namespace waybill::cli
