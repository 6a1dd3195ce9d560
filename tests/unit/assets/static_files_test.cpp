#include "assets/static_files.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <sstream>
#include <thread>

#include "assets/collect.hpp"
#include "assets/compress.hpp"
#include "core/error.hpp"
#include "http/conditional.hpp"
#include "test_support.hpp"

namespace famigo::assets {
namespace {

using testing::Headers;
using testing::slurp;
using testing::TempDir;
using testing::TestRequest;
using testing::write;
namespace fs = std::filesystem;

std::string body_of(const http::Response& response) {
    if (response.shared_body) return *response.shared_body;
    if (response.file_body) {
        std::string bytes(response.file_body->length, '\0');
        ssize_t n = ::pread(response.file_body->file->fd(), bytes.data(), bytes.size(),
                            off_t(response.file_body->offset));
        bytes.resize(n < 0 ? 0 : size_t(n));
        return bytes;
    }
    return response.body;
}

std::string header(const http::Response& response, std::string_view name) {
    return std::string(response.header(name).value_or(""));
}

const std::string kCss = [] {
    std::string css = "body { background: url(../img/logo.svg); }\n";
    for (int i = 0; i < 40; ++i)
        css += ".c" + std::to_string(i) + " { margin: " + std::to_string(i) + "px; }\n";
    return css;
}();
const std::string kPng = std::string("\x89PNG\r\n\x1a\n", 8) + std::string(100, 'p');

class StaticFilesTest : public ::testing::Test {
  protected:
    void SetUp() override {
        write(dir / "static/css/site.css", kCss);
        write(dir / "static/img/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>\n");
        write(dir / "static/img/photo.png", kPng);
        write(dir / "static/fonts/a b.woff2", "font");
        write(dir / "secret.txt", "top secret");
        options.source = dir / "static";
        options.build_dir = dir / "build";
        options.revalidate = std::chrono::milliseconds(0);
    }

    void collect_now() {
        std::ostringstream progress;
        manifest = collect(options, progress).manifest;
    }

    StaticFiles& files() {
        if (!static_files) static_files = std::make_unique<StaticFiles>(options);
        return *static_files;
    }

    // As the router would call it for "/static/<path:file>".
    http::Response get(const std::string& name, Headers headers = {}) {
        TestRequest request("/static/" + name, std::move(headers), name);
        http::Response response;
        files().serve(request.request, response);
        return response;
    }

    TempDir dir;
    AssetOptions options;
    Manifest manifest;
    std::unique_ptr<StaticFiles> static_files;
};

TEST_F(StaticFilesTest, ServesPlainNamesWithRevalidatingCache) {
    collect_now();
    auto response = get("css/site.css");
    EXPECT_EQ(files().mode(), StaticFiles::Mode::Fingerprinted);
    ASSERT_EQ(response.status, 200);
    ASSERT_TRUE(response.shared_body);
    EXPECT_EQ(*response.shared_body, slurp(dir / "build/css/site.css"));
    EXPECT_EQ(header(response, "Content-Type"), "text/css; charset=utf-8");
    EXPECT_EQ(header(response, "Cache-Control"), "public, max-age=300");
    EXPECT_EQ(header(response, "Accept-Ranges"), "bytes");
    EXPECT_EQ(header(response, "Vary"), "Accept-Encoding");
    EXPECT_EQ(header(response, "Content-Encoding"), "");
    std::string etag = header(response, "ETag");
    EXPECT_EQ(etag.size(), 26u);
    EXPECT_EQ(etag.front(), '"');
    struct stat st {};
    ::stat((dir / "build/css/site.css").c_str(), &st);
    EXPECT_EQ(header(response, "Last-Modified"), http::http_date(st.st_mtim.tv_sec));
}

TEST_F(StaticFilesTest, FingerprintedNamesAreImmutable) {
    collect_now();
    auto response = get(manifest.at("css/site.css"));
    ASSERT_EQ(response.status, 200);
    EXPECT_EQ(header(response, "Cache-Control"), "public, max-age=31536000, immutable");
    EXPECT_EQ(body_of(response), body_of(get("css/site.css")));
    auto png = get(manifest.at("img/photo.png"));
    EXPECT_EQ(png.status, 200);
    EXPECT_EQ(header(png, "Content-Type"), "image/png");
    EXPECT_EQ(header(png, "Vary"), "");  // not compressible: no variants, nothing varies
    EXPECT_EQ(body_of(png), kPng);
}

TEST_F(StaticFilesTest, UrlsUseTheManifestAndTheCdnPrefix) {
    collect_now();
    EXPECT_EQ(files().url("css/site.css"), "/static/" + manifest.at("css/site.css"));
    EXPECT_EQ(files().url("/img/logo.svg"), "/static/" + manifest.at("img/logo.svg"));
    EXPECT_EQ(files().url("js/unknown.js"), "/static/js/unknown.js");
    std::string fonts = manifest.at("fonts/a b.woff2");
    EXPECT_EQ(files().url("fonts/a b.woff2"), "/static/fonts/a%20b" + fonts.substr(9));

    options.cdn_url = "https://cdn.example.com/famigo/";
    StaticFiles cdn(options);
    EXPECT_EQ(cdn.url("css/site.css"),
              "https://cdn.example.com/famigo/" + manifest.at("css/site.css"));
    EXPECT_EQ(cdn.url("js/unknown.js"), "https://cdn.example.com/famigo/js/unknown.js");
}

TEST_F(StaticFilesTest, NotModified) {
    collect_now();
    auto first = get("css/site.css");
    std::string etag = header(first, "ETag");
    std::string date = header(first, "Last-Modified");
    for (const std::string& inm : {etag, "\"other\", " + etag, "W/" + etag, std::string("*")}) {
        auto response = get("css/site.css", {{"If-None-Match", inm}});
        EXPECT_EQ(response.status, 304) << inm;
        EXPECT_EQ(response.body_size(), 0u);
        EXPECT_EQ(header(response, "ETag"), etag);
        EXPECT_EQ(header(response, "Vary"), "Accept-Encoding");
        EXPECT_EQ(header(response, "Cache-Control"), "public, max-age=300");
    }
    EXPECT_EQ(get("css/site.css", {{"If-None-Match", "\"nope\""}}).status, 200);
    EXPECT_EQ(get("css/site.css", {{"If-Modified-Since", date}}).status, 304);
    EXPECT_EQ(get("css/site.css", {{"If-Modified-Since", "Thu, 01 Jan 2099 00:00:00 GMT"}}).status,
              304);
    EXPECT_EQ(get("css/site.css", {{"If-Modified-Since", "Thu, 01 Jan 1970 00:00:00 GMT"}}).status,
              200);
    EXPECT_EQ(get("css/site.css", {{"If-Modified-Since", "garbage"}}).status, 200);
    // If-None-Match wins over If-Modified-Since.
    EXPECT_EQ(
        get("css/site.css", {{"If-None-Match", "\"nope\""}, {"If-Modified-Since", date}}).status,
        200);
    EXPECT_EQ(get("css/site.css",
                  {{"If-None-Match", etag}, {"If-Modified-Since", "Thu, 01 Jan 1970 00:00:00 GMT"}})
                  .status,
              304);
}

TEST_F(StaticFilesTest, PreconditionFailed) {
    collect_now();
    std::string etag = header(get("img/photo.png"), "ETag");
    EXPECT_EQ(get("img/photo.png", {{"If-Match", "\"nope\""}}).status, 412);
    EXPECT_EQ(get("img/photo.png", {{"If-Match", etag}}).status, 200);
    EXPECT_EQ(
        get("img/photo.png", {{"If-Unmodified-Since", "Thu, 01 Jan 1970 00:00:00 GMT"}}).status,
        412);
}

TEST_F(StaticFilesTest, Ranges) {
    collect_now();
    auto r = get("img/photo.png", {{"Range", "bytes=0-7"}});
    ASSERT_EQ(r.status, 206);
    EXPECT_EQ(body_of(r), kPng.substr(0, 8));
    EXPECT_EQ(header(r, "Content-Range"), "bytes 0-7/108");
    r = get("img/photo.png", {{"Range", "bytes=-8"}});
    EXPECT_EQ(r.status, 206);
    EXPECT_EQ(body_of(r), kPng.substr(100));
    EXPECT_EQ(header(r, "Content-Range"), "bytes 100-107/108");
    r = get("img/photo.png", {{"Range", "bytes=100-"}});
    EXPECT_EQ(body_of(r), kPng.substr(100));
    r = get("img/photo.png", {{"Range", "bytes=108-"}});
    EXPECT_EQ(r.status, 416);
    EXPECT_EQ(header(r, "Content-Range"), "bytes */108");
    r = get("img/photo.png", {{"Range", "bytes=0-1,4-5"}});  // several: the whole file
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(body_of(r), kPng);
    r = get("img/photo.png", {{"Range", "bytes=9-3"}});  // invalid: ignored
    EXPECT_EQ(r.status, 200);
}

TEST_F(StaticFilesTest, IfRange) {
    collect_now();
    auto full = get("img/photo.png");
    std::string etag = header(full, "ETag"), date = header(full, "Last-Modified");
    EXPECT_EQ(get("img/photo.png", {{"Range", "bytes=0-0"}, {"If-Range", etag}}).status, 206);
    EXPECT_EQ(get("img/photo.png", {{"Range", "bytes=0-0"}, {"If-Range", date}}).status, 206);
    EXPECT_EQ(get("img/photo.png", {{"Range", "bytes=0-0"}, {"If-Range", "\"old\""}}).status, 200);
    EXPECT_EQ(get("img/photo.png", {{"Range", "bytes=0-0"}, {"If-Range", "W/" + etag}}).status,
              200);
    EXPECT_EQ(get("img/photo.png",
                  {{"Range", "bytes=0-0"}, {"If-Range", "Thu, 01 Jan 1970 00:00:00 GMT"}})
                  .status,
              200);
    // A stale If-Range with an unsatisfiable range still sends the whole file.
    EXPECT_EQ(get("img/photo.png", {{"Range", "bytes=999-"}, {"If-Range", "\"old\""}}).status, 200);
}

TEST_F(StaticFilesTest, EncodingNegotiation) {
    collect_now();
    std::string original = slurp(dir / "build/css/site.css");
    auto br = get("css/site.css", {{"Accept-Encoding", "gzip, deflate, br"}});
    EXPECT_EQ(br.status, 200);
    EXPECT_EQ(header(br, "Content-Encoding"), "br");
    EXPECT_EQ(header(br, "Vary"), "Accept-Encoding");
    EXPECT_EQ(header(br, "Content-Type"), "text/css; charset=utf-8");
    EXPECT_EQ(brotli_decompress(body_of(br)), original);

    auto gz = get("css/site.css", {{"Accept-Encoding", "gzip"}});
    EXPECT_EQ(header(gz, "Content-Encoding"), "gzip");
    EXPECT_EQ(gzip_decompress(body_of(gz)), original);

    auto refused = get("css/site.css", {{"Accept-Encoding", "br;q=0, gzip;q=0"}});
    EXPECT_EQ(header(refused, "Content-Encoding"), "");
    EXPECT_EQ(body_of(refused), original);
    EXPECT_EQ(header(refused, "Vary"), "Accept-Encoding");

    // Each representation has its own validator.
    std::string e_br = header(br, "ETag"), e_gz = header(gz, "ETag"),
                e_id = header(refused, "ETag");
    EXPECT_NE(e_br, e_gz);
    EXPECT_NE(e_br, e_id);
    EXPECT_EQ(get("css/site.css", {{"Accept-Encoding", "br"}, {"If-None-Match", e_br}}).status,
              304);
    EXPECT_EQ(get("css/site.css", {{"Accept-Encoding", "gzip"}, {"If-None-Match", e_br}}).status,
              200);

    // A Range request gets the identity bytes, whatever the client accepts.
    auto ranged = get("css/site.css", {{"Accept-Encoding", "br"}, {"Range", "bytes=0-3"}});
    EXPECT_EQ(ranged.status, 206);
    EXPECT_EQ(header(ranged, "Content-Encoding"), "");
    EXPECT_EQ(body_of(ranged), original.substr(0, 4));
    EXPECT_EQ(header(ranged, "Vary"), "Accept-Encoding");
}

TEST_F(StaticFilesTest, StaleVariantsAreIgnored) {
    collect_now();
    // A variant older than its file was not made from it and is not trusted.
    struct timespec times[2] = {{0, 0}, {1, 0}};
    ASSERT_EQ(::utimensat(AT_FDCWD, (dir / "build/css/site.css.br").c_str(), times, 0), 0);
    auto response = get("css/site.css", {{"Accept-Encoding", "br, gzip"}});
    EXPECT_EQ(header(response, "Content-Encoding"), "gzip") << "br is stale, gz is not";
    // A file edited in place after collectstatic makes both variants stale.
    write(dir / "build/css/site.css", kCss + "/* edited by hand */\n");
    response = get("css/site.css", {{"Accept-Encoding", "br, gzip"}});
    EXPECT_EQ(header(response, "Content-Encoding"), "");
    EXPECT_EQ(body_of(response), kCss + "/* edited by hand */\n");
}

TEST_F(StaticFilesTest, LargeFilesGoBySendfile) {
    options.memory_max_file = 16;
    collect_now();
    auto response = get("img/photo.png");
    ASSERT_EQ(response.status, 200);
    EXPECT_FALSE(response.shared_body);
    ASSERT_TRUE(response.file_body);
    EXPECT_EQ(response.file_body->offset, 0u);
    EXPECT_EQ(response.file_body->length, kPng.size());
    EXPECT_EQ(body_of(response), kPng);
    std::string etag = header(response, "ETag");
    EXPECT_EQ(get("img/photo.png", {{"If-None-Match", etag}}).status, 304);

    auto ranged = get("img/photo.png", {{"Range", "bytes=8-11"}});
    EXPECT_EQ(ranged.status, 206);
    ASSERT_TRUE(ranged.file_body);
    EXPECT_EQ(ranged.file_body->offset, 8u);
    EXPECT_EQ(ranged.file_body->length, 4u);
    EXPECT_EQ(body_of(ranged), "pppp");

    auto br = get("css/site.css", {{"Accept-Encoding", "br"}});
    ASSERT_TRUE(br.file_body);
    EXPECT_EQ(brotli_decompress(body_of(br)), slurp(dir / "build/css/site.css"));
}

TEST_F(StaticFilesTest, NotFound) {
    collect_now();
    EXPECT_EQ(get("css/nothing.css").status, 404);
    EXPECT_EQ(get("css").status, 404);  // a folder
    EXPECT_EQ(get("manifest.json").status, 200);
}

TEST_F(StaticFilesTest, DevelopmentModeServesSourcesAndSeesEdits) {
    // No collectstatic: the build folder does not exist.
    auto response = get("css/site.css");
    EXPECT_EQ(files().mode(), StaticFiles::Mode::Development);
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(body_of(response), kCss);
    EXPECT_EQ(header(response, "Cache-Control"), "no-cache");
    EXPECT_EQ(files().url("css/site.css"), "/static/css/site.css");
    write(dir / "static/css/site.css", "body{}\n");
    EXPECT_EQ(body_of(get("css/site.css")), "body{}\n");
}

TEST_F(StaticFilesTest, BuildFolderWithoutManifest) {
    write(dir / "build/app.js", "console.log(1)\n");
    EXPECT_EQ(files().mode(), StaticFiles::Mode::BuildOnly);
    auto response = get("app.js");
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(header(response, "Cache-Control"), "public, max-age=300");
}

TEST_F(StaticFilesTest, RefusesSymlinksOutOfTheRoot) {
    fs::create_symlink(dir / "secret.txt", dir / "static/leak.txt");
    fs::create_symlink("../../secret.txt", dir / "static/css/leak2.txt");
    fs::create_directory_symlink(dir.path(), dir / "static/up");
    fs::create_symlink("logo.svg", dir / "static/img/alias.svg");
    EXPECT_EQ(get("leak.txt").status, 404);
    EXPECT_EQ(get("css/leak2.txt").status, 404);
    EXPECT_EQ(get("up/secret.txt").status, 404);
    EXPECT_EQ(get("img/alias.svg").status, 200);  // a symlink that stays inside is fine
}

TEST_F(StaticFilesTest, FifoDoesNotHang) {
    ASSERT_EQ(::mkfifo((dir / "static/pipe.txt").c_str(), 0644), 0);
    EXPECT_EQ(get("pipe.txt").status, 404);
}

TEST_F(StaticFilesTest, HostilePathsGet404) {
    write(dir / "static/.env", "SECRET=1");
    write(dir / "static/.git/config", "[core]");
    // Raw path as sent, and what a router that decodes once would hand over.
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"/static/../secret.txt", "../secret.txt"},
        {"/static/%2e%2e/secret.txt", "../secret.txt"},
        {"/static/%2E%2E/secret.txt", "../secret.txt"},
        {"/static/.%2e/secret.txt", "../secret.txt"},
        {"/static/css/..%2f..%2fsecret.txt", "css/../../secret.txt"},
        {"/static/css%2f..%2f..%2fsecret.txt", "css/../../secret.txt"},
        {"/static/..%5csecret.txt", "..\\secret.txt"},
        {"/static/..\\secret.txt", "..\\secret.txt"},
        {"/static/css/site.css%00.png", std::string("css/site.css\0.png", 17)},
        {"/static/%c0%ae%c0%ae/secret.txt", "\xc0\xae\xc0\xae/secret.txt"},
        {"/static/%c0%ae%c0%ae%c0%afsecret.txt", "\xc0\xae\xc0\xae\xc0\xafsecret.txt"},
        {"/static/%252e%252e/secret.txt", "%2e%2e/secret.txt"},
        {"/static/./css/site.css", "./css/site.css"},
        {"/static/css/./site.css", "css/./site.css"},
        {"/static//css/site.css", "/css/site.css"},
        {"/static/css//site.css", "css//site.css"},
        {"/static/.env", ".env"},
        {"/static/%2eenv", ".env"},
        {"/static/.git/config", ".git/config"},
        {"/static/css/", "css/"},
        {"/static/", ""},
        {"/static/%", "%"},
        {"/static/css/site.css%", "css/site.css%"},
        {"/static/%ff%fe", "\xff\xfe"},
        // The parameter does not match the raw path: refuse rather than guess.
        {"/static/css/site.css", "../secret.txt"},
        {"/static/css/site.css", "img/logo.svg"},
    };
    size_t checked = 0;
    for (const auto& [raw, file] : cases) {
        TestRequest request(raw, {}, file);
        http::Response response;
        files().serve(request.request, response);
        EXPECT_EQ(response.status, 404) << raw;
        EXPECT_EQ(body_of(response).find("secret"), std::string::npos);
        ++checked;
    }
    EXPECT_GE(checked, 20u);
    // Without a route parameter the name comes from the raw path after static.url.
    TestRequest plain("/static/css/site.css");
    http::Response ok;
    files().serve(plain.request, ok);
    EXPECT_EQ(ok.status, 200);
    TestRequest elsewhere("/other/css/site.css");
    http::Response missing;
    files().serve(elsewhere.request, missing);
    EXPECT_EQ(missing.status, 404);
}

TEST_F(StaticFilesTest, RefreshesWhenTheFileChanges) {
    collect_now();
    std::string before = header(get("css/site.css"), "ETag");
    write(dir / "build/css/site.css", "changed {}\n");
    auto after = get("css/site.css");
    EXPECT_EQ(body_of(after), "changed {}\n");
    EXPECT_NE(header(after, "ETag"), before);
    fs::remove(dir / "build/css/site.css");
    EXPECT_EQ(get("css/site.css").status, 404);
}

// Several I/O threads serve while the file is replaced (atomically, as
// collectstatic does): every answer is one whole version or the other.
TEST_F(StaticFilesTest, ConcurrentServingWhileTheFileChanges) {
    collect_now();
    const std::string v1 = slurp(dir / "build/css/site.css"), v2 = "replaced {}\n";
    files();  // made before the threads start, as the server does
    std::atomic<bool> stop{false};
    std::atomic<int> bad{0}, served{0};
    std::vector<std::thread> readers;
    for (int t = 0; t < 4; ++t)
        readers.emplace_back([&] {
            while (!stop) {
                auto response = get("css/site.css");
                std::string body = body_of(response);
                if (response.status != 200 || (body != v1 && body != v2)) ++bad;
                ++served;
            }
        });
    for (int i = 0; i < 200; ++i) {
        write(dir / "build/.tmp", i % 2 ? v1 : v2);
        fs::rename(dir / "build/.tmp", dir / "build/css/site.css");
    }
    while (served < 400) std::this_thread::yield();
    stop = true;
    for (auto& reader : readers) reader.join();
    EXPECT_EQ(bad, 0);
}

TEST_F(StaticFilesTest, BadManifestIsAnError) {
    write(dir / "build/manifest.json", "{\"version\": 2, \"files\": {}}");
    EXPECT_THROW(StaticFiles{options}, Error);
    write(dir / "build/manifest.json", "{\"version\": 1, \"files\": {\"a\": \"../etc/passwd\"}}");
    EXPECT_THROW(StaticFiles{options}, Error);
}

}  // namespace
}  // namespace famigo::assets
