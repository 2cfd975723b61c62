#include "unpack/formats/codec.h"

#include <bzlib.h>
#include <lz4.h>
#include <lz4frame.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <climits>
#include <vector>

namespace waybill::unpack::codec {

namespace {

// Library APIs take 32-bit lengths; feed at most this much per call.
constexpr std::size_t kMaxIo = 1u << 30;
constexpr std::uint64_t kLzmaMemlimit = 512ull << 20;

std::size_t cap(std::size_t n) {
  return std::min(n, kMaxIo);
}

Step fail(std::string msg, std::size_t in = 0, std::size_t out = 0) {
  Step s;
  s.status = Step::error;
  s.in_used = in;
  s.out_used = out;
  s.message = std::move(msg);
  return s;
}

class GzipDecoder final : public Decoder {
 public:
  GzipDecoder() { ok_ = inflateInit2(&z_, 16 + MAX_WBITS) == Z_OK; }
  ~GzipDecoder() override {
    if (ok_) inflateEnd(&z_);
  }
  bool ok() const { return ok_; }
  Step step(ByteView in, std::span<std::uint8_t> out) override {
    z_.next_in = const_cast<Bytef*>(in.data());
    z_.avail_in = static_cast<uInt>(cap(in.size()));
    z_.next_out = out.data();
    z_.avail_out = static_cast<uInt>(cap(out.size()));
    const uInt ai = z_.avail_in, ao = z_.avail_out;
    int rc = inflate(&z_, Z_NO_FLUSH);
    Step s;
    s.in_used = ai - z_.avail_in;
    s.out_used = ao - z_.avail_out;
    if (rc == Z_STREAM_END) {
      s.status = Step::end;
    } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
      return fail(std::string("inflate: ") + (z_.msg ? z_.msg : "error " + std::to_string(rc)),
                  s.in_used, s.out_used);
    }
    return s;
  }

 private:
  z_stream z_{};
  bool ok_ = false;
};

class LzmaDecoder final : public Decoder {
 public:
  explicit LzmaDecoder(bool alone) {
    ok_ = (alone ? lzma_alone_decoder(&s_, kLzmaMemlimit)
                 : lzma_stream_decoder(&s_, kLzmaMemlimit, 0)) == LZMA_OK;
  }
  ~LzmaDecoder() override { lzma_end(&s_); }
  bool ok() const { return ok_; }
  Step step(ByteView in, std::span<std::uint8_t> out) override {
    s_.next_in = in.data();
    s_.avail_in = cap(in.size());
    s_.next_out = out.data();
    s_.avail_out = cap(out.size());
    const std::size_t ai = s_.avail_in, ao = s_.avail_out;
    lzma_ret rc = lzma_code(&s_, LZMA_RUN);
    Step s;
    s.in_used = ai - s_.avail_in;
    s.out_used = ao - s_.avail_out;
    switch (rc) {
      case LZMA_STREAM_END:
        s.status = Step::end;
        break;
      case LZMA_OK:
      case LZMA_BUF_ERROR:  // no progress possible: the caller decides (truncated input)
        break;
      case LZMA_MEMLIMIT_ERROR:
        return fail(
            "dictionary needs more than " + std::to_string(kLzmaMemlimit >> 20) + " MiB of memory",
            s.in_used, s.out_used);
      case LZMA_FORMAT_ERROR:
        return fail("not an xz/lzma stream", s.in_used, s.out_used);
      case LZMA_OPTIONS_ERROR:
        return fail("unsupported compression options", s.in_used, s.out_used);
      case LZMA_DATA_ERROR:
        return fail("compressed data is corrupt", s.in_used, s.out_used);
      default:
        return fail("lzma error " + std::to_string(static_cast<int>(rc)), s.in_used, s.out_used);
    }
    return s;
  }

 private:
  lzma_stream s_ = LZMA_STREAM_INIT;
  bool ok_ = false;
};

class Bzip2Decoder final : public Decoder {
 public:
  Bzip2Decoder() { ok_ = BZ2_bzDecompressInit(&s_, 0, 0) == BZ_OK; }
  ~Bzip2Decoder() override {
    if (ok_) BZ2_bzDecompressEnd(&s_);
  }
  bool ok() const { return ok_; }
  Step step(ByteView in, std::span<std::uint8_t> out) override {
    s_.next_in = const_cast<char*>(reinterpret_cast<const char*>(in.data()));
    s_.avail_in = static_cast<unsigned>(cap(in.size()));
    s_.next_out = reinterpret_cast<char*>(out.data());
    s_.avail_out = static_cast<unsigned>(cap(out.size()));
    const unsigned ai = s_.avail_in, ao = s_.avail_out;
    int rc = BZ2_bzDecompress(&s_);
    Step s;
    s.in_used = ai - s_.avail_in;
    s.out_used = ao - s_.avail_out;
    if (rc == BZ_STREAM_END) {
      s.status = Step::end;
    } else if (rc != BZ_OK) {
      return fail("bzip2 data is corrupt (error " + std::to_string(rc) + ")", s.in_used,
                  s.out_used);
    }
    return s;
  }

 private:
  bz_stream s_{};
  bool ok_ = false;
};

bool is_zstd_magic(ByteView v) {
  return v.le32(0) == 0xFD2FB528u;
}

class ZstdDecoder final : public Decoder {
 public:
  ZstdDecoder() : d_(ZSTD_createDStream()) {}
  ~ZstdDecoder() override { ZSTD_freeDStream(d_); }
  bool ok() const { return d_ != nullptr; }
  Step step(ByteView in, std::span<std::uint8_t> out) override {
    ZSTD_inBuffer ib{in.data(), in.size(), 0};
    ZSTD_outBuffer ob{out.data(), out.size(), 0};
    std::size_t rc = ZSTD_decompressStream(d_, &ob, &ib);
    Step s;
    s.in_used = ib.pos;
    s.out_used = ob.pos;
    if (ZSTD_isError(rc)) return fail(ZSTD_getErrorName(rc), s.in_used, s.out_used);
    // A frame is complete; concatenated frames (zstd -T, pzstd) belong to the same stream.
    if (rc == 0 && !is_zstd_magic(in.sub(ib.pos))) s.status = Step::end;
    return s;
  }

 private:
  ZSTD_DStream* d_;
};

class Lz4FrameDecoder final : public Decoder {
 public:
  Lz4FrameDecoder() { ok_ = !LZ4F_isError(LZ4F_createDecompressionContext(&d_, LZ4F_VERSION)); }
  ~Lz4FrameDecoder() override {
    if (ok_) LZ4F_freeDecompressionContext(d_);
  }
  bool ok() const { return ok_; }
  Step step(ByteView in, std::span<std::uint8_t> out) override {
    std::size_t src = in.size(), dst = out.size();
    std::size_t rc = LZ4F_decompress(d_, out.data(), &dst, in.data(), &src, nullptr);
    Step s;
    s.in_used = src;
    s.out_used = dst;
    if (LZ4F_isError(rc)) return fail(LZ4F_getErrorName(rc), s.in_used, s.out_used);
    if (rc == 0) s.status = Step::end;
    return s;
  }

 private:
  LZ4F_dctx* d_ = nullptr;
  bool ok_ = false;
};

// Legacy lz4 (lz4 -l, Linux kernel): magic, then blocks of [le32 size][data], each decoding to
// 8 MiB except the last. There is no end marker; a short block or an implausible size ends it.
class Lz4LegacyDecoder final : public Decoder {
 public:
  static constexpr std::size_t kBlock = 8u << 20;
  static constexpr std::uint32_t kMagic = 0x184C2102u;
  Step step(ByteView in, std::span<std::uint8_t> out) override {
    Step s;
    if (pending_ < have_) {  // drain the decoded block first
      std::size_t n = std::min(out.size(), have_ - pending_);
      std::copy_n(buf_.get() + pending_, n, out.data());
      pending_ += n;
      s.out_used = n;
      if (pending_ == have_ && last_) s.status = Step::end;
      return s;
    }
    if (last_) {
      s.status = Step::end;
      return s;
    }
    std::size_t pos = 0;
    if (!started_) {
      if (in.le32(0) != kMagic) return fail("missing lz4 legacy magic");
      started_ = true;
      pos = 4;
    }
    while (in.le32(pos) == kMagic) pos += 4;  // concatenated legacy streams
    auto bsize = in.le32(pos);
    const auto bound = static_cast<std::uint32_t>(LZ4_compressBound(static_cast<int>(kBlock)));
    if (!bsize || *bsize == 0 || *bsize > bound) {
      // Out of input or not a block header: the stream ended after the previous full block.
      s.in_used = pos;
      s.status = blocks_ > 0 ? Step::end : Step::ok;
      return s;
    }
    if (!in.has(pos + 4, *bsize)) {
      s.in_used = pos;  // truncated: no progress from here
      return s;
    }
    if (!buf_) buf_.reset(new std::uint8_t[kBlock]);
    int n = LZ4_decompress_safe(reinterpret_cast<const char*>(in.data() + pos + 4),
                                reinterpret_cast<char*>(buf_.get()), static_cast<int>(*bsize),
                                static_cast<int>(kBlock));
    if (n < 0) return fail("lz4 block is corrupt", pos);
    ++blocks_;
    have_ = static_cast<std::size_t>(n);
    pending_ = 0;
    last_ = have_ < kBlock;
    s.in_used = pos + 4 + *bsize;
    std::size_t m = std::min(out.size(), have_);
    std::copy_n(buf_.get(), m, out.data());
    pending_ = m;
    s.out_used = m;
    if (last_ && pending_ == have_) s.status = Step::end;
    return s;
  }

 private:
  std::unique_ptr<std::uint8_t[]> buf_;
  std::size_t have_ = 0, pending_ = 0;
  std::uint64_t blocks_ = 0;
  bool started_ = false, last_ = false;
};

template <class D, class... A>
std::unique_ptr<Decoder> make(A... a) {
  auto d = std::make_unique<D>(a...);
  if (!d->ok()) return nullptr;
  return d;
}

}  // namespace

std::unique_ptr<Decoder> make_decoder(Kind k) {
  switch (k) {
    case Kind::gzip:
      return make<GzipDecoder>();
    case Kind::xz:
      return make<LzmaDecoder>(false);
    case Kind::lzma:
      return make<LzmaDecoder>(true);
    case Kind::bzip2:
      return make<Bzip2Decoder>();
    case Kind::zstd:
      return make<ZstdDecoder>();
    case Kind::lz4_frame:
      return make<Lz4FrameDecoder>();
    case Kind::lz4_legacy:
      return std::make_unique<Lz4LegacyDecoder>();
  }
  return nullptr;
}

bool trial_decode(Kind k, ByteView data, std::size_t max_out, std::size_t max_in) {
  auto dec = make_decoder(k);
  if (!dec) return false;
  std::vector<std::uint8_t> out(std::max<std::size_t>(max_out, 1));
  std::size_t in_pos = 0, out_len = 0;
  ByteView in = data.sub(0, max_in);
  while (out_len < max_out && in_pos <= in.size()) {
    Step s = dec->step(in.sub(in_pos), std::span(out.data() + out_len, out.size() - out_len));
    if (s.status == Step::error) return false;
    in_pos += s.in_used;
    out_len += s.out_used;
    if (s.status == Step::end) return true;
    if (s.in_used == 0 && s.out_used == 0) break;  // needs more input than we allow
  }
  return true;
}

Result<std::uint64_t> decompress_to_sink(Kind k, std::string_view format, ByteView data,
                                         Sink& sink) {
  auto dec = make_decoder(k);
  if (!dec) return Error(Errc::internal, std::string(format) + ": cannot set up the decoder");
  constexpr std::size_t kStep = 1u << 20;
  Budget& budget = sink.budget();
  std::vector<std::uint8_t> out;
  std::size_t in_pos = 0, out_len = 0;
  std::optional<Error> failure;
  for (;;) {
    if (out.size() - out_len < kStep) out.resize(out_len + kStep);
    Step s = dec->step(data.sub(in_pos), std::span(out.data() + out_len, out.size() - out_len));
    in_pos += s.in_used;
    if (s.out_used > 0) {
      // Charged per step so that a bomb stops after at most one step past the limit; the bomb's
      // output is not emitted.
      Status st = budget.check_file_size(out_len + s.out_used);  // the stream is one object
      if (st) st = budget.charge_bytes(s.out_used, std::max<std::size_t>(in_pos, 1), out_len);
      if (!st) {
        return Error(st.error().code, std::string(format) + ": " + st.error().message, in_pos);
      }
      out_len += s.out_used;
    }
    if (s.status == Step::end) break;
    if (s.status == Step::error) {
      failure = Error(Errc::corrupt, std::string(format) + ": " + s.message, in_pos);
      break;
    }
    if (s.in_used == 0 && s.out_used == 0) {
      failure = Error(Errc::truncated,
                      std::string(format) + ": stream ends before its end marker (" +
                          std::to_string(out_len) + " bytes decoded)",
                      in_pos);
      break;
    }
  }
  out.resize(out_len);
  if (failure) {
    sink.diagnostic(Severity::warning, failure->code, failure->offset,
                    failure->message + (out_len > 0 ? "; keeping the decoded prefix" : ""));
    if (out_len > 0) {
      if (auto st = sink.stream("decompressed", ByteView(out)); !st) return st.error();
    }
    return *failure;
  }
  if (auto st = sink.stream("decompressed", ByteView(out)); !st) return st.error();
  return static_cast<std::uint64_t>(in_pos);
}

Result<Chunk> StreamUnpacker::probe(ByteView data, std::uint64_t start) const {
  ByteView v = data.sub(start);
  Chunk c;
  c.size = v.size();
  c.size_exact = false;
  c.confidence = 60;
  if (auto st = check_header(v, c); !st) return st.error();
  if (trial_ && !trial_decode(kind_, v))
    return Error(Errc::not_this_format, "stream does not decode");
  return c;
}

Result<std::uint64_t> StreamUnpacker::extract(ByteView data, const Chunk& /*chunk*/,
                                              Sink& sink) const {
  return decompress_to_sink(kind_, desc_.id, data, sink);
}

}  // namespace waybill::unpack::codec
