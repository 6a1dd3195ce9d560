#include "cache/page/page_record.hpp"

#include <cstring>

namespace famigo::cache {
namespace {

constexpr char kMagic[4] = {'F', 'P', 'C', '1'};

template <class T>
void put(std::string& out, T value) {
    char bytes[sizeof(T)];
    std::memcpy(bytes, &value, sizeof(T));
    out.append(bytes, sizeof(T));
}

void put_text(std::string& out, std::string_view text) {
    put<std::uint32_t>(out, std::uint32_t(text.size()));
    out.append(text);
}

// Reads from a byte range; any overrun marks the reader failed and the
// record is dropped, so a corrupt or foreign value is just a miss.
class Reader {
  public:
    explicit Reader(std::string_view bytes) : rest_(bytes) {}
    template <class T>
    T get() {
        T value{};
        if (rest_.size() < sizeof(T)) {
            ok_ = false;
            return value;
        }
        std::memcpy(&value, rest_.data(), sizeof(T));
        rest_.remove_prefix(sizeof(T));
        return value;
    }
    std::string_view text() {
        auto n = get<std::uint32_t>();
        if (!ok_ || rest_.size() < n) {
            ok_ = false;
            return {};
        }
        auto out = rest_.substr(0, n);
        rest_.remove_prefix(n);
        return out;
    }
    bool ok() const { return ok_; }
    bool done() const { return rest_.empty(); }

  private:
    std::string_view rest_;
    bool ok_ = true;
};

}  // namespace

std::size_t PageRecord::memory_size() const {
    std::size_t n = sizeof(PageRecord) + identity.size() + etag.size() + (body ? body->size() : 0);
    for (const auto& name : vary) n += name.size() + sizeof(std::string);
    for (const auto& [name, value] : headers)
        n += name.size() + value.size() + 2 * sizeof(std::string);
    return n;
}

std::string encode(const PageRecord& r) {
    std::string out;
    out.reserve(64 + r.identity.size() + (r.body ? r.body->size() : 0));
    out.append(kMagic, sizeof kMagic);
    put<std::uint8_t>(out, std::uint8_t(r.kind));
    put<std::uint64_t>(out, r.generation);
    put<std::int64_t>(out, r.stored_ms);
    put<std::int64_t>(out, r.fresh_until_ms);
    put<std::uint16_t>(out, std::uint16_t(r.status));
    put_text(out, r.identity);
    put<std::uint16_t>(out, std::uint16_t(r.vary.size()));
    for (const auto& name : r.vary) put_text(out, name);
    put<std::uint16_t>(out, std::uint16_t(r.headers.size()));
    for (const auto& [name, value] : r.headers) {
        put_text(out, name);
        put_text(out, value);
    }
    put_text(out, r.etag);
    put_text(out, r.body ? std::string_view(*r.body) : std::string_view());
    return out;
}

std::shared_ptr<const PageRecord> decode(std::string_view bytes) {
    if (bytes.size() < sizeof kMagic || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0)
        return nullptr;
    Reader in(bytes.substr(sizeof kMagic));
    auto r = std::make_shared<PageRecord>();
    auto kind = in.get<std::uint8_t>();
    if (kind != std::uint8_t(PageRecord::Kind::Page) &&
        kind != std::uint8_t(PageRecord::Kind::Vary))
        return nullptr;
    r->kind = PageRecord::Kind(kind);
    r->generation = in.get<std::uint64_t>();
    r->stored_ms = in.get<std::int64_t>();
    r->fresh_until_ms = in.get<std::int64_t>();
    r->status = in.get<std::uint16_t>();
    r->identity = in.text();
    for (auto n = in.get<std::uint16_t>(); in.ok() && n > 0; --n) r->vary.emplace_back(in.text());
    for (auto n = in.get<std::uint16_t>(); in.ok() && n > 0; --n) {
        std::string name(in.text());
        r->headers.emplace_back(std::move(name), std::string(in.text()));
    }
    r->etag = in.text();
    r->body = std::make_shared<const std::string>(in.text());
    if (!in.ok() || !in.done()) return nullptr;
    return r;
}

}  // namespace famigo::cache
