// Bounds-checked, zero-copy view over untrusted bytes.
//
// Every read of firmware data goes through ByteView: out-of-range reads return std::nullopt
// (or an empty view) instead of touching memory outside the buffer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>
#include <vector>

namespace waybill {

class ByteView {
 public:
  constexpr ByteView() = default;
  constexpr ByteView(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  ByteView(const std::vector<std::uint8_t>& v) : data_(v.data()), size_(v.size()) {}  // NOLINT
  explicit ByteView(std::string_view s)
      : data_(reinterpret_cast<const std::uint8_t*>(s.data())), size_(s.size()) {}

  const std::uint8_t* data() const { return data_; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const std::uint8_t* begin() const { return data_; }
  const std::uint8_t* end() const { return data_ + size_; }

  // True when [off, off+len) lies inside the view (overflow-safe).
  bool has(std::uint64_t off, std::uint64_t len) const {
    return off <= size_ && len <= size_ - off;
  }

  // Sub-view clamped to the available bytes; never out of range.
  ByteView sub(std::uint64_t off, std::uint64_t len = UINT64_MAX) const {
    if (off >= size_) return {};
    std::uint64_t avail = size_ - off;
    return {data_ + off, static_cast<std::size_t>(len < avail ? len : avail)};
  }

  std::string_view str() const { return {reinterpret_cast<const char*>(data_), size_}; }
  std::string_view str(std::uint64_t off, std::uint64_t len) const { return sub(off, len).str(); }

  // NUL-terminated string inside a fixed-size field.
  std::string_view cstr(std::uint64_t off, std::uint64_t max_len) const {
    std::string_view s = str(off, max_len);
    auto nul = s.find('\0');
    return nul == std::string_view::npos ? s : s.substr(0, nul);
  }

  bool starts_with(std::uint64_t off, std::string_view magic) const {
    return has(off, magic.size()) && std::memcmp(data_ + off, magic.data(), magic.size()) == 0;
  }

  std::optional<std::uint8_t> u8(std::uint64_t off) const {
    if (!has(off, 1)) return std::nullopt;
    return data_[off];
  }
  std::optional<std::uint16_t> le16(std::uint64_t off) const { return read<std::uint16_t>(off, false); }
  std::optional<std::uint32_t> le32(std::uint64_t off) const { return read<std::uint32_t>(off, false); }
  std::optional<std::uint64_t> le64(std::uint64_t off) const { return read<std::uint64_t>(off, false); }
  std::optional<std::uint16_t> be16(std::uint64_t off) const { return read<std::uint16_t>(off, true); }
  std::optional<std::uint32_t> be32(std::uint64_t off) const { return read<std::uint32_t>(off, true); }
  std::optional<std::uint64_t> be64(std::uint64_t off) const { return read<std::uint64_t>(off, true); }

  // Find `needle` at or after `from`; npos when absent.
  std::size_t find(std::string_view needle, std::size_t from = 0) const {
    return str().find(needle, from);
  }

 private:
  template <class T>
  std::optional<T> read(std::uint64_t off, bool big_endian) const {
    if (!has(off, sizeof(T))) return std::nullopt;
    T v = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i) {
      std::size_t idx = big_endian ? i : sizeof(T) - 1 - i;
      v = static_cast<T>((v << 8) | data_[off + idx]);
    }
    return v;
  }

  const std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
};

// A sequential reader over a ByteView that remembers the first failure, so parsers can read a
// header field by field and check `ok()` once.
class Cursor {
 public:
  Cursor(ByteView v, std::uint64_t off = 0, bool big_endian = false)
      : v_(v), off_(off), be_(big_endian) {}
  std::uint64_t offset() const { return off_; }
  bool ok() const { return ok_; }
  void seek(std::uint64_t off) { off_ = off; }
  void skip(std::uint64_t n) { off_ += n; }
  std::uint8_t u8() { return take(v_.u8(off_), 1); }
  std::uint16_t u16() { return take(be_ ? v_.be16(off_) : v_.le16(off_), 2); }
  std::uint32_t u32() { return take(be_ ? v_.be32(off_) : v_.le32(off_), 4); }
  std::uint64_t u64() { return take(be_ ? v_.be64(off_) : v_.le64(off_), 8); }
  ByteView bytes(std::uint64_t n) {
    if (!v_.has(off_, n)) {
      ok_ = false;
      return {};
    }
    ByteView r = v_.sub(off_, n);
    off_ += n;
    return r;
  }

 private:
  template <class T>
  T take(std::optional<T> v, std::uint64_t n) {
    if (!v) {
      ok_ = false;
      return 0;
    }
    off_ += n;
    return *v;
  }
  ByteView v_;
  std::uint64_t off_;
  bool be_;
  bool ok_ = true;
};

}  // namespace waybill
