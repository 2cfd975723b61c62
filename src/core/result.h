// Error channel shared by every stage. C++20 has no std::expected (GCC 12 has it only in C++23
// mode), so this is a deliberately small stand-in with the same surface.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace waybill {

enum class Errc {
  not_this_format,  // silent: a probe that does not recognise the bytes
  truncated,        // data ends before the structure does
  corrupt,          // structure is inconsistent (bad CRC, impossible sizes ...)
  unsupported,      // recognised but a variant we cannot read
  limit_exceeded,   // a configured limit (size, ratio, depth, count, time) was hit
  unsafe,           // path traversal, symlink escape and similar, refused
  io,               // operating-system error (open, write, mmap)
  usage,            // bad arguments
  internal,         // a bug or an unexpected third-party failure
};

const char* errc_name(Errc c);

struct Error {
  Errc code = Errc::internal;
  std::string message;
  std::optional<std::uint64_t> offset;  // byte offset inside the object being read, if known

  Error() = default;
  Error(Errc c, std::string msg, std::optional<std::uint64_t> off = std::nullopt)
      : code(c), message(std::move(msg)), offset(off) {}
  std::string to_string() const;
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Error e) : v_(std::move(e)) {}      // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// Result<void> equivalent.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error e) : err_(std::move(e)) {}  // NOLINT(google-explicit-constructor)
  static Status success() { return {}; }
  bool ok() const { return !err_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const { return *err_; }

 private:
  std::optional<Error> err_;
};

}  // namespace waybill
