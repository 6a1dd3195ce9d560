#include "http/middlewares.hpp"

#include <gtest/gtest.h>

#include "http/app.hpp"

using namespace famigo::http;

namespace {
std::string normalize_host(std::string_view header) {
    HostBuffer buffer;
    return std::string(famigo::http::normalize_host(header, buffer));
}
}  // namespace

TEST(Host, Normalize) {
    EXPECT_EQ(normalize_host("WWW.Famigo.com:8000"), "www.famigo.com");
    EXPECT_EQ(normalize_host("famigo.com."), "famigo.com");
    EXPECT_EQ(normalize_host("[::1]:8000"), "[::1]");
    EXPECT_EQ(normalize_host("evil.com/x"), "");
    EXPECT_EQ(normalize_host("a b"), "");
    EXPECT_EQ(normalize_host("host:port"), "");
    EXPECT_EQ(normalize_host(""), "");
    EXPECT_EQ(normalize_host("a:99999999"), "");
    EXPECT_EQ(normalize_host("[::1"), "");
    EXPECT_EQ(normalize_host(":80"), "");
}

TEST(Host, PatternMatching) {
    std::vector<std::string> allowed = {".famigo.com", "localhost"};
    EXPECT_TRUE(host_matches("famigo.com", allowed));
    EXPECT_TRUE(host_matches("www.famigo.com", allowed));
    EXPECT_FALSE(host_matches("evilfamigo.com", allowed));
    EXPECT_TRUE(host_matches("localhost", allowed));
    EXPECT_FALSE(host_matches("localhost.evil", allowed));
    EXPECT_TRUE(host_matches("anything", {"*"}));
}

namespace {
Request request_with_host(std::string_view host) {
    Request r;
    r.set_host(host);
    r.path = "/app/x/";
    r.query = "a=1";
    return r;
}
}  // namespace

TEST(HostMiddleware, RedirectsOldDomainsKeepingPathAndQuery) {
    HostMiddleware m({"www.famigo.com"}, "www.famigo.com", {"famigogames.com", ".famigogames.com"});
    Response response;
    auto request = request_with_host("famigogames.com");
    EXPECT_TRUE(m.before(request, response));
    EXPECT_EQ(response.status, 301);
    EXPECT_EQ(response.header("Location"), "http://www.famigo.com/app/x/?a=1");

    response.reset();
    request = request_with_host("www.famigogames.com");
    request.secure = true;
    EXPECT_TRUE(m.before(request, response));
    EXPECT_EQ(response.header("Location"), "https://www.famigo.com/app/x/?a=1");
}

TEST(HostMiddleware, RefusesHostsNotAllowed) {
    HostMiddleware m({"www.famigo.com"}, "", {});
    Response response;
    auto request = request_with_host("evil.com");
    EXPECT_TRUE(m.before(request, response));
    EXPECT_EQ(response.status, 400);
    response.reset();
    request = request_with_host("www.famigo.com:443");
    EXPECT_FALSE(m.before(request, response));
}

TEST(ProxyMiddleware, BelievesOnlyTrustedPeers) {
    ProxyMiddleware m({"10.0.0.1"});
    std::string header_value = "203.0.113.9, 10.0.0.1";
    Request request;
    request.add_header("X-Forwarded-For", header_value);
    request.add_header("X-Forwarded-Proto", "https");
    request.peer_address = "10.0.0.1";
    request.client_address = request.peer_address;
    Response response;
    m.before(request, response);
    EXPECT_EQ(request.client_address, "203.0.113.9");
    EXPECT_TRUE(request.secure);

    Request untrusted;
    untrusted.add_header("X-Forwarded-For", "1.2.3.4");
    untrusted.add_header("X-Forwarded-Proto", "https");
    untrusted.peer_address = "198.51.100.7";
    untrusted.client_address = untrusted.peer_address;
    m.before(untrusted, response);
    EXPECT_EQ(untrusted.client_address, "198.51.100.7");
    EXPECT_FALSE(untrusted.secure);
}

TEST(RequestIdMiddleware, MakesUniqueIdsAndTrustsOnlyProxies) {
    RequestIdMiddleware m({"10.0.0.1"});
    Request a, b;
    Response response;
    m.before(a, response);
    m.before(b, response);
    EXPECT_EQ(a.request_id.size(), 21u);
    EXPECT_NE(a.request_id, b.request_id);
    m.after(a, response);
    EXPECT_EQ(response.header("X-Request-Id"), a.request_id);

    Request from_proxy;
    from_proxy.peer_address = "10.0.0.1";
    from_proxy.add_header("X-Request-Id", "lb-123");
    m.before(from_proxy, response);
    EXPECT_EQ(from_proxy.request_id, "lb-123");

    Request forged;
    forged.peer_address = "10.0.0.9";
    forged.add_header("X-Request-Id", "lb-123");
    m.before(forged, response);
    EXPECT_NE(forged.request_id, "lb-123");
}

namespace {
class Recorder : public Middleware {
  public:
    explicit Recorder(std::string& log, std::string name, bool answer = false)
        : log_(log), name_(std::move(name)), answer_(answer) {}
    bool before(Request&, Response& response) override {
        log_ += "+" + name_;
        if (answer_) response.text(403, "no");
        return answer_;
    }
    void after(Request&, Response&) override { log_ += "-" + name_; }

  private:
    std::string& log_;
    std::string name_;
    bool answer_;
};
}  // namespace

TEST(App, MiddlewareOrderAndShortCircuit) {
    std::string log;
    App app;
    app.router().add("x", "/x", [&log](Request&, Response& r) {
        log += "view";
        r.text(200, "x");
    });
    app.use(std::make_shared<Recorder>(log, "a"));
    app.use(std::make_shared<Recorder>(log, "b", true));
    app.use(std::make_shared<Recorder>(log, "c"));
    Request request;
    request.method = Method::Get;
    request.path = "/x";
    Response response;
    app.handle(app.route(request), request, response);
    EXPECT_EQ(log, "+a+b-b-a");
    EXPECT_EQ(response.status, 403);
}

TEST(App, ExceptionsBecomeAPlain500) {
    App app;
    app.router().add("boom", "/boom", [](Request&, Response&) {
        throw std::runtime_error("secret database password in message");
    });
    Request request;
    request.method = Method::Get;
    request.path = "/boom";
    Response response;
    app.handle(app.route(request), request, response);
    EXPECT_EQ(response.status, 500);
    EXPECT_EQ(response.body.find("secret"), std::string::npos);
}

TEST(App, NotFoundAndMethodNotAllowed) {
    App app;
    app.router().add("x", "/x", [](Request&, Response&) {});
    Request request;
    request.method = Method::Post;
    request.path = "/x";
    Response response;
    app.handle(app.route(request), request, response);
    EXPECT_EQ(response.status, 405);
    EXPECT_EQ(response.header("Allow"), "GET, HEAD");
    request.path = "/y";
    response.reset();
    app.handle(app.route(request), request, response);
    EXPECT_EQ(response.status, 404);
}

namespace {
class InlineAnswer : public Middleware {
  public:
    explicit InlineAnswer(std::string& log) : log_(log) {}
    bool answer_inline(Request&, Response& response) override {
        log_ += "inline";
        response.text(200, "cached");
        return true;
    }
    void after(Request&, Response&) override { log_ += "-inline"; }

  private:
    std::string& log_;
};
}  // namespace

namespace {
// A middleware whose before() is cheap: it may run on the I/O thread.
class InlineRecorder : public Recorder {
  public:
    using Recorder::Recorder;
    bool runs_inline(const Request&) const override { return true; }
};
}  // namespace

TEST(App, InlineChainRunsChecksBeforeAnAnswerAndEveryAfterOfThem) {
    std::string log;
    App app;
    app.router().add("x", "/x", [&log](Request&, Response&) { log += "view"; });
    app.use(std::make_shared<InlineRecorder>(log, "a"));
    app.use(std::make_shared<InlineAnswer>(log));
    app.use(std::make_shared<Recorder>(log, "c"));
    Request request;
    request.method = Method::Get;
    request.path = "/x";
    Response response;
    auto match = app.route(request);
    EXPECT_TRUE(app.answer_inline(match, request, response));
    EXPECT_EQ(log, "+ainline-inline-a");  // c's before() never ran, so neither does its after()
    EXPECT_EQ(response.body, "cached");
}

TEST(App, InlineCheckThatAnswersStopsTheChain) {
    std::string log;
    App app;
    app.router().add("x", "/x", [&log](Request&, Response&) { log += "view"; });
    app.use(std::make_shared<InlineRecorder>(log, "a"));
    app.use(std::make_shared<InlineRecorder>(log, "refuse", true));
    app.use(std::make_shared<InlineAnswer>(log));
    Request request;
    request.method = Method::Get;
    request.path = "/x";
    Response response;
    EXPECT_TRUE(app.answer_inline(app.route(request), request, response));
    EXPECT_EQ(log, "+a+refuse-refuse-a");  // a refusal is never bypassed by a cached answer
    EXPECT_EQ(response.status, 403);
}

TEST(App, PoolContinuesWhereTheInlineChainStopped) {
    std::string log;
    App app;
    app.router().add("x", "/x", [&log](Request&, Response& r) {
        log += "view";
        r.text(200, "v");
    });
    app.use(std::make_shared<InlineRecorder>(log, "a"));
    app.use(std::make_shared<Recorder>(log, "b"));  // may block: the pool's work
    app.use(std::make_shared<InlineRecorder>(log, "c"));
    Request request;
    request.method = Method::Get;
    request.path = "/x";
    Response response;
    auto match = app.route(request);
    EXPECT_FALSE(app.answer_inline(match, request, response));
    EXPECT_EQ(log, "+a");
    EXPECT_EQ(request.middleware_entered, 1u);
    app.handle(match, request, response);  // on the pool
    EXPECT_EQ(log, "+a+b+cview-c-b-a");    // a's before() ran once, every after() once
}
