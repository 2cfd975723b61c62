// A small progress line on stderr, shown only when stderr is a terminal (Debian 12 has no
// progress-bar library, see ../shared/reference/dependencies.md 5.6). Piped output stays clean.
#pragma once

#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace waybill::cli {

class ProgressBar {
 public:
  explicit ProgressBar(bool enabled) : on_(enabled && isatty(STDERR_FILENO)) {}
  ~ProgressBar() { finish(); }

  void start(std::string label, std::uint64_t input_size) {
    label_ = std::move(label);
    input_ = input_size;
    t0_ = last_ = std::chrono::steady_clock::now();
    drawn_ = false;
  }

  void update(std::uint64_t bytes, std::uint64_t files) {
    if (!on_) return;
    auto now = std::chrono::steady_clock::now();
    if (drawn_ && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    drawn_ = true;
    double secs = std::chrono::duration<double>(now - t0_).count();
    static const char* kSpin = "|/-\\";
    ++tick_;
    // The extracted size is not known in advance, so the bar moves with the data processed
    // relative to the input size (compressed images expand several times) and saturates.
    int width = 24;
    double frac = input_ ? static_cast<double>(bytes) / (3.0 * static_cast<double>(input_)) : 0;
    if (frac > 0.97) frac = 0.97;
    int fill = static_cast<int>(frac * width);
    std::string bar(static_cast<std::size_t>(fill), '#');
    bar.resize(static_cast<std::size_t>(width), '.');
    std::fprintf(stderr, "\r\033[K%c %s [%s] %.1f MB analysed, %llu files, %.1fs", kSpin[tick_ % 4],
                 label_.c_str(), bar.c_str(), static_cast<double>(bytes) / 1e6,
                 static_cast<unsigned long long>(files), secs);
    std::fflush(stderr);
  }

  void finish() {
    if (on_ && drawn_) {
      std::fprintf(stderr, "\r\033[K");
      std::fflush(stderr);
    }
    drawn_ = false;
  }

 private:
  bool on_;
  bool drawn_ = false;
  std::string label_;
  std::uint64_t input_ = 0;
  unsigned tick_ = 0;
  std::chrono::steady_clock::time_point t0_, last_;
};

}  // namespace waybill::cli
