#include "assets/file_io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <utility>

#include "core/error.hpp"

namespace famigo::assets {
namespace {

[[noreturn]] void fail(const std::string& what, const std::filesystem::path& path, int error) {
    throw Error(what + " '" + path.string() + "': " + std::strerror(error));
}

class Fd {
  public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }
    int release() { return std::exchange(fd_, -1); }

  private:
    int fd_;
};

std::optional<std::string> read_fd(int fd, const std::filesystem::path& path) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) fail("cannot stat", path, errno);
    if (!S_ISREG(st.st_mode)) return std::nullopt;
    std::string out;
    out.resize(size_t(st.st_size));
    size_t done = 0;
    while (true) {
        if (done == out.size()) out.resize(out.size() + 65536);  // the file grew meanwhile
        ssize_t n = ::read(fd, out.data() + done, out.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("cannot read", path, errno);
        }
        if (n == 0) break;
        done += size_t(n);
    }
    out.resize(done);
    return out;
}

}  // namespace

std::optional<std::string> read_file_if_exists(const std::filesystem::path& path) {
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
        if (errno == ENOENT || errno == ENOTDIR) return std::nullopt;
        fail("cannot open", path, errno);
    }
    return read_fd(fd.get(), path);
}

std::string read_file(const std::filesystem::path& path) {
    auto bytes = read_file_if_exists(path);
    if (!bytes) throw Error("not a readable file: '" + path.string() + "'");
    return std::move(*bytes);
}

void write_file_atomic(const std::filesystem::path& path, std::string_view bytes) {
    static std::atomic<unsigned> counter{0};
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path().empty() ? "." : path.parent_path(), ec);
    if (ec)
        throw Error("cannot create folder '" + path.parent_path().string() + "': " + ec.message());

    // Hidden (leading dot) so that the static view never serves a temporary file.
    // Built by appending: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string.
    std::string temp_name(".");
    temp_name.append(path.filename().string()).append(".tmp-");
    temp_name.append(std::to_string(::getpid())).append("-").append(std::to_string(counter++));
    std::filesystem::path temp = path.parent_path() / temp_name;
    Fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
    if (fd.get() < 0) fail("cannot create", temp, errno);
    auto abandon = [&](const char* what, int error) {
        ::unlink(temp.c_str());
        fail(what, temp, error);
    };
    size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::write(fd.get(), bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            abandon("cannot write", errno);
        }
        done += size_t(n);
    }
    if (::fsync(fd.get()) != 0) abandon("cannot sync", errno);
    if (::close(fd.release()) != 0) abandon("cannot close", errno);
    if (::rename(temp.c_str(), path.c_str()) != 0) abandon("cannot rename into place", errno);
}

bool write_file_if_changed(const std::filesystem::path& path, std::string_view bytes) {
    std::error_code ec;
    auto size = std::filesystem::file_size(path, ec);
    if (!ec && size == bytes.size()) {
        auto existing = read_file_if_exists(path);
        if (existing && *existing == bytes) return false;
    }
    write_file_atomic(path, bytes);
    return true;
}

}  // namespace famigo::assets
