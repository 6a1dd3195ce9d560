#include "assets/static_files.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

#include "assets/digest.hpp"
#include "assets/file_io.hpp"
#include "assets/mime.hpp"
#include "assets/path_safety.hpp"
#include "core/encoding.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "core/strings.hpp"
#include "http/app.hpp"
#include "http/conditional.hpp"

namespace famigo::assets {

using http::choose_encoding;
using http::Encoding;
using http::encoding_token;
using http::etag_matches_strong;
using http::etag_matches_weak;
using http::http_date;
using http::parse_http_date;
using http::parse_range;
using http::RangeRequest;
namespace fs = std::filesystem;

// What identifies one version of a file on disk. Outside the anonymous
// namespace because StaticFiles::Entry holds stamps (g++ -Wsubobject-linkage
// once the file shares a unity unit).
struct FileStamp {
    bool present = false;
    dev_t device = 0;
    ino_t inode = 0;
    off_t size = 0;
    std::int64_t mtime_ns = 0;

    static FileStamp of(const struct stat& st) {
        return {true, st.st_dev, st.st_ino, st.st_size,
                std::int64_t(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
    }
    bool operator==(const FileStamp&) const = default;
};

namespace {

constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
constexpr std::string_view kDevelopment = "no-cache";

FileStamp stat_path(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return {};
    return FileStamp::of(st);
}

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

bool inside(std::string_view path, std::string_view root) {
    return path == root || (path.size() > root.size() && path.starts_with(root) &&
                            (root.back() == '/' || path[root.size()] == '/'));
}

// Opens root/relative for reading such that no component (symlinks included)
// resolves outside root. openat2(RESOLVE_BENEATH) makes the kernel enforce it
// during the lookup itself; where that call is missing (kernels before 5.6,
// seccomp filters) the fallback resolves with realpath and opens the result
// with O_NOFOLLOW. O_NONBLOCK keeps a FIFO planted in the folder from hanging
// the I/O thread; the caller rejects anything but a regular file.
int open_beneath(const fs::path& root, const std::string& relative) {
    constexpr int kFlags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
    int directory = ::open(root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (directory < 0) return -1;
    open_how how{};
    how.flags = kFlags;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
    int fd = int(::syscall(SYS_openat2, directory, relative.c_str(), &how, sizeof how));
    int error = errno;
    ::close(directory);
    if (fd >= 0 || (error != ENOSYS && error != EPERM)) return fd;

    char real_root[PATH_MAX], real_file[PATH_MAX];
    std::string full = (root / relative).string();
    if (!::realpath(root.c_str(), real_root) || !::realpath(full.c_str(), real_file)) return -1;
    if (!inside(real_file, real_root)) return -1;
    return ::open(real_file, kFlags | O_NOFOLLOW);
}

// The whole file, or nullopt if it could not be read in one go as stat said.
std::optional<std::string> read_exactly(int fd, size_t size) {
    std::string bytes(size, '\0');
    size_t done = 0;
    while (done < size) {
        ssize_t n = ::pread(fd, bytes.data() + done, size - done, off_t(done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return std::nullopt;
        done += size_t(n);
    }
    return bytes;
}

void append_url_encoded(std::string& out, std::string_view name) {
    encoding::append_percent_encoded(out, name, "/");
}

// "opaque" with its quotes. Filled by copy: GCC 12 warns falsely (-Wrestrict)
// on the string concatenations that would say the same.
std::string quoted(std::string_view opaque) {
    std::string out(opaque.size() + 2, '"');
    std::copy(opaque.begin(), opaque.end(), out.begin() + 1);
    return out;
}

void clear_body(http::Response& response) {
    response.body.clear();
    response.shared_body.reset();
    response.file_body.reset();
}

}  // namespace

// One way of sending a file: as it is, or its .gz or .br variant.
struct Representation {
    bool present = false;
    std::uint64_t size = 0;
    std::shared_ptr<const std::string> bytes;  // files up to static.memory_max_file
    std::shared_ptr<http::OpenFile> file;      // larger ones, sent with sendfile
    std::string etag;
};

struct StaticFiles::Entry {
    std::string path;  // root/logical, for revalidation
    FileStamp identity_stamp, gzip_stamp, brotli_stamp;
    MimeInfo mime{};
    std::string_view cache_control;
    std::int64_t last_modified = 0;
    std::string last_modified_text;
    Representation identity, gzip, brotli;
    mutable std::atomic<std::int64_t> checked_ms{0};
};

struct StaticFiles::Cache {
    struct Hash {
        using is_transparent = void;
        size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    std::shared_mutex mutex;
    std::unordered_map<std::string, std::shared_ptr<const Entry>, Hash, std::equal_to<>> entries;
};

StaticFiles::StaticFiles(AssetOptions options)
    : options_(std::move(options)), cache_(std::make_unique<Cache>()) {
    std::error_code ec;
    if (fs::is_directory(options_.build_dir, ec)) {
        root_ = fs::absolute(options_.build_dir);
        fs::path manifest_path = root_ / kManifestFile;
        if (auto text = read_file_if_exists(manifest_path)) {
            mode_ = Mode::Fingerprinted;
            manifest_ = parse_manifest(*text, manifest_path.string());
            for (const auto& [logical, hashed] : manifest_) immutable_.insert(hashed);
        } else {
            mode_ = Mode::BuildOnly;
            log::warn("static: no " + manifest_path.string() +
                      "; serving the build folder without fingerprinted names (run collectstatic)");
        }
    } else {
        mode_ = Mode::Development;
        root_ = fs::absolute(options_.source);
        options_.revalidate = std::chrono::milliseconds(0);  // edits show at once
        if (!fs::is_directory(root_, ec))
            log::warn("static: neither static.build_dir '" + options_.build_dir.string() +
                      "' nor static.source '" + options_.source.string() +
                      "' exists; static files will answer 404");
        else
            log::info("static: no build folder; serving '" + options_.source.string() +
                      "' directly (development mode)");
    }
    revalidating_cache_control_ =
        mode_ == Mode::Development ? std::string(kDevelopment)
                                   : "public, max-age=" + std::to_string(options_.max_age.count());
}

StaticFiles::~StaticFiles() = default;

std::shared_ptr<const StaticFiles::Entry> StaticFiles::find(std::string_view logical_name) const {
    std::shared_ptr<const Entry> entry;
    {
        std::shared_lock lock(cache_->mutex);
        auto it = cache_->entries.find(logical_name);
        if (it != cache_->entries.end()) entry = it->second;
    }
    std::int64_t now = now_ms();
    if (entry) {
        if (now - entry->checked_ms.load(std::memory_order_relaxed) < options_.revalidate.count())
            return entry;
        if (still_fresh(*entry)) {
            entry->checked_ms.store(now, std::memory_order_relaxed);
            return entry;
        }
    }
    std::string key(logical_name);
    std::shared_ptr<const Entry> fresh = load(key);
    std::unique_lock lock(cache_->mutex);
    if (fresh)
        cache_->entries[key] = fresh;
    else
        cache_->entries.erase(key);
    return fresh;
}

bool StaticFiles::still_fresh(const Entry& entry) const {
    if (stat_path(entry.path) != entry.identity_stamp) return false;
    if (!entry.mime.compressible) return true;
    return stat_path(entry.path + ".gz") == entry.gzip_stamp &&
           stat_path(entry.path + ".br") == entry.brotli_stamp;
}

std::shared_ptr<const StaticFiles::Entry> StaticFiles::load(const std::string& logical_name) const {
    auto entry = std::make_shared<Entry>();
    entry->path = (root_ / logical_name).string();

    // Opens one representation; its stamp records what was seen, even "absent".
    auto open_one = [&](const std::string& relative, Representation& rep, FileStamp& stamp,
                        const FileStamp* newer_than) {
        int fd = open_beneath(root_, relative);
        if (fd < 0) return;
        struct stat st {};
        if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
            ::close(fd);
            return;
        }
        stamp = FileStamp::of(st);
        // A variant older than its file was not made from it: ignore it.
        if (newer_than && stamp.mtime_ns < newer_than->mtime_ns) {
            ::close(fd);
            return;
        }
        rep.size = std::uint64_t(st.st_size);
        if (rep.size <= options_.memory_max_file) {
            auto bytes = read_exactly(fd, size_t(rep.size));
            ::close(fd);
            if (!bytes) return;
            rep.etag = quoted(std::string_view(content_hash_hex(*bytes)).substr(0, 24));
            rep.bytes = std::make_shared<const std::string>(std::move(*bytes));
        } else {
            rep.file = std::make_shared<http::OpenFile>(fd);
            char text[48];
            std::snprintf(text, sizeof text, "\"%llx-%llx\"",
                          static_cast<unsigned long long>(rep.size),
                          static_cast<unsigned long long>(stamp.mtime_ns));
            rep.etag = text;
        }
        rep.present = true;
    };

    open_one(logical_name, entry->identity, entry->identity_stamp, nullptr);
    if (!entry->identity.present) return nullptr;
    entry->mime = mime_for(logical_name);
    if (entry->mime.compressible) {
        open_one(logical_name + ".gz", entry->gzip, entry->gzip_stamp, &entry->identity_stamp);
        open_one(logical_name + ".br", entry->brotli, entry->brotli_stamp, &entry->identity_stamp);
        // Variants share the identity's validator with a suffix: a cache that
        // holds the gzip bytes must not take them for the brotli ones.
        auto suffixed = [&](const std::string& suffix) {
            std::string etag = entry->identity.etag;
            etag.insert(etag.size() - 1, suffix);
            return etag;
        };
        if (entry->gzip.present) entry->gzip.etag = suffixed("-gz");
        if (entry->brotli.present) entry->brotli.etag = suffixed("-br");
    }
    entry->last_modified = entry->identity_stamp.mtime_ns / 1'000'000'000;
    entry->last_modified_text = http_date(entry->last_modified);
    entry->cache_control = mode_ == Mode::Fingerprinted && immutable_.count(logical_name)
                               ? kImmutable
                               : std::string_view(revalidating_cache_control_);
    entry->checked_ms.store(now_ms(), std::memory_order_relaxed);
    return entry;
}

void StaticFiles::serve(http::Request& request, http::Response& response) const {
    auto decoded = decode_safe_raw_path(request.path);
    if (!decoded) return http::App::error_page(404, response);
    std::string_view full(*decoded);
    std::string_view logical;
    if (auto param = request.params.get("file")) {
        logical = *param;
        // Defence in depth: the router's decoded parameter must be exactly the
        // tail of the path we decoded and checked ourselves.
        if (full.size() <= logical.size() || !full.ends_with(logical) ||
            full[full.size() - logical.size() - 1] != '/')
            return http::App::error_page(404, response);
    } else {
        if (!full.starts_with(options_.url)) return http::App::error_page(404, response);
        logical = full.substr(options_.url.size());
    }
    serve_file(logical, request, response);
}

void StaticFiles::serve_file(std::string_view logical_name, const http::Request& request,
                             http::Response& response) const {
    if (!is_safe_logical_name(logical_name)) return http::App::error_page(404, response);
    auto entry = find(logical_name);
    if (!entry) return http::App::error_page(404, response);

    auto range = request.header("Range");
    // Ranges apply to the identity bytes only: a client resuming a download
    // must get offsets that mean the same thing next time.
    Encoding encoding = Encoding::Identity;
    if (entry->mime.compressible && !range)
        encoding = choose_encoding(request.header("Accept-Encoding"), entry->brotli.present,
                                   entry->gzip.present);
    const Representation& rep = encoding == Encoding::Brotli ? entry->brotli
                                : encoding == Encoding::Gzip ? entry->gzip
                                                             : entry->identity;

    auto validators = [&] {
        response.set_header("ETag", rep.etag);
        response.set_header("Last-Modified", entry->last_modified_text);
        response.set_header("Cache-Control", entry->cache_control);
        if (entry->mime.compressible) response.set_header("Vary", "Accept-Encoding");
    };

    // Preconditions in the order of RFC 9110 section 13.2.2.
    if (auto if_match = request.header("If-Match")) {
        if (!etag_matches_strong(*if_match, rep.etag)) return http::App::error_page(412, response);
    } else if (auto since = request.header("If-Unmodified-Since")) {
        auto date = parse_http_date(*since);
        if (date && entry->last_modified > *date) return http::App::error_page(412, response);
    }
    bool not_modified = false;
    if (auto if_none_match = request.header("If-None-Match")) {
        not_modified = etag_matches_weak(*if_none_match, rep.etag);
    } else if (auto since = request.header("If-Modified-Since")) {
        auto date = parse_http_date(*since);
        not_modified = date && entry->last_modified <= *date;
    }
    if (not_modified) {
        response.status = 304;
        clear_body(response);
        validators();
        return;
    }

    std::uint64_t offset = 0, length = rep.size;
    int status = 200;
    if (range) {
        bool apply = true;
        if (auto if_range = request.header("If-Range")) {
            std::string_view value = strings::trim(*if_range);
            if (value.starts_with('"') || value.starts_with("W/")) {
                apply = etag_matches_strong(value, rep.etag);
            } else {
                auto date = parse_http_date(value);
                apply = date && *date == entry->last_modified;
            }
        }
        if (apply) {
            RangeRequest request_range = parse_range(*range, rep.size);
            if (request_range.kind == RangeRequest::Kind::Unsatisfiable) {
                http::App::error_page(416, response);
                response.set_header("Content-Range", "bytes */" + std::to_string(rep.size));
                return;
            }
            if (request_range.kind == RangeRequest::Kind::Satisfiable) {
                status = 206;
                offset = request_range.offset;
                length = request_range.length;
            }
        }
    }

    response.status = status;
    clear_body(response);
    validators();
    response.set_header("Content-Type", entry->mime.type);
    response.set_header("Accept-Ranges", "bytes");
    if (encoding != Encoding::Identity)
        response.set_header("Content-Encoding", encoding_token(encoding));
    if (status == 206)
        response.set_header("Content-Range", "bytes " + std::to_string(offset) + "-" +
                                                 std::to_string(offset + length - 1) + "/" +
                                                 std::to_string(rep.size));
    if (rep.bytes) {
        if (status == 200)
            response.shared_body = rep.bytes;
        else
            response.body.assign(*rep.bytes, size_t(offset), size_t(length));
    } else {
        response.file_body = http::FileBody{rep.file, offset, length};
    }
}

std::string StaticFiles::url(std::string_view logical_name) const {
    while (logical_name.starts_with('/')) logical_name.remove_prefix(1);
    auto it = manifest_.find(logical_name);
    std::string_view target = it != manifest_.end() ? std::string_view(it->second) : logical_name;
    std::string out = options_.cdn_url.empty() ? options_.url : options_.cdn_url;
    append_url_encoded(out, target);
    return out;
}

}  // namespace famigo::assets
