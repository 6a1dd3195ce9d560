// The one error path: what views and middlewares throw becomes the answer in
// one place (App's error handler), and every after() still runs.
#include "http/errors.hpp"

#include <gtest/gtest.h>

#include "http/app.hpp"
#include "http/query_check.hpp"

using namespace famigo::http;

namespace {

Request get(std::string_view path, std::string_view query = {}) {
    Request request;
    request.method = Method::Get;
    request.path = path;
    request.query = query;
    return request;
}

// Records its before() and after() so a test sees the chain ran around the error.
class Seen : public Middleware {
  public:
    explicit Seen(std::string& log) : log_(log) {}
    bool before(Request&, Response&) override {
        log_ += "+";
        return false;
    }
    void after(Request&, Response& response) override {
        log_ += "-" + std::to_string(response.status);
    }
    bool runs_inline(const Request&) const override { return true; }

  private:
    std::string& log_;
};

}  // namespace

TEST(ErrorPath, HttpErrorsKeepTheirStatusWithoutAHandler) {
    App app;
    app.router().add("bad", "/bad", [](Request&, Response&) {
        HttpError error(429, "slow_down", "too many");
        error.retry_after = 7;
        throw error;
    });
    Request request = get("/bad");
    Response response;
    app.handle(app.route(request), request, response);
    EXPECT_EQ(response.status, 429);
    EXPECT_EQ(response.header("Retry-After"), "7");
}

TEST(ErrorPath, TheHandlerAnswersEveryErrorAndAfterStillRuns) {
    std::string log;
    App app;
    app.router().add("missing", "/missing",
                     [](Request&, Response&) { throw NotFound("no such thing", "slug"); });
    app.router().add("boom", "/boom",
                     [](Request&, Response&) { throw std::runtime_error("internal detail"); });
    app.use(std::make_shared<Seen>(log));
    app.set_error_handler([](const Request&, Response& response, std::exception_ptr error) {
        try {
            std::rethrow_exception(error);
        } catch (const HttpError& e) {
            response.text(e.status(), e.code() + ":" + e.field() + ":" + e.what());
        } catch (const std::exception&) {
            response.text(500, "sorry");
        }
    });
    Request request = get("/missing");
    Response response;
    app.handle(app.route(request), request, response);
    EXPECT_EQ(response.body, "not_found:slug:no such thing");
    EXPECT_EQ(log, "+-404");
    Request boom = get("/boom");
    Response answer;
    app.handle(app.route(boom), boom, answer);
    EXPECT_EQ(answer.status, 500);
    EXPECT_EQ(answer.body, "sorry");
}

TEST(ErrorPath, AFailingHandlerFallsBackToThePlainAnswer) {
    App app;
    app.router().add("bad", "/bad", [](Request&, Response&) { throw BadRequest("nope"); });
    app.set_error_handler([](const Request&, Response&, std::exception_ptr) {
        throw std::runtime_error("template missing");
    });
    Request request = get("/bad");
    Response response;
    app.handle(app.route(request), request, response);
    EXPECT_EQ(response.status, 400);
}

TEST(QueryCheck, FindsMalformedEscapes) {
    EXPECT_TRUE(query_problem("").empty());
    EXPECT_TRUE(query_problem("a=1&b=%20%C3%A9&c=%7e").empty());
    EXPECT_FALSE(query_problem("x=%zz").empty());
    EXPECT_FALSE(query_problem("x=%").empty());
    EXPECT_FALSE(query_problem("x=%4").empty());
    EXPECT_FALSE(query_problem("x=%G1").empty());
    EXPECT_FALSE(query_problem("next=%00").empty());
}

TEST(QueryCheck, RefusesOnTheInlineChainThroughTheErrorPath) {
    std::string log;
    App app;
    app.router().add("x", "/x", [](Request&, Response& r) { r.text(200, "view"); });
    app.use(std::make_shared<Seen>(log));
    app.use(std::make_shared<QueryCheckMiddleware>());
    Request request = get("/x", "a=%zz");
    Response response;
    auto match = app.route(request);
    EXPECT_TRUE(app.answer_inline(match, request, response));
    EXPECT_EQ(response.status, 400);
    EXPECT_EQ(log, "+-400");
    Request fine = get("/x", "a=%41");
    Response ok;
    EXPECT_FALSE(app.answer_inline(app.route(fine), fine, ok));  // checks passed; the view is next
}
