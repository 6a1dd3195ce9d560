#include "web/security/messages.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

using namespace famigo::web::security;
using famigo::http::Request;
using famigo::http::Response;

namespace {

SecurityOptions options() {
    SecurityOptions o;
    o.secret_key = "messages-test-key";
    return o;
}

// The request a browser sends next, carrying the cookie `response` set.
struct NextRequest {
    std::string header;
    Request request;
    explicit NextRequest(const Response& response) {
        if (auto value = find_set_cookie(response, kMessagesCookie); value && !value->empty())
            header = "messages=" + std::string(*value);
        if (!header.empty()) request.add_header("Cookie", header);
    }
};

}  // namespace

TEST(Messages, AddedThenShownOnce) {
    Messages messages(options());
    Request first;
    Response redirect;
    messages.add(first, redirect, MessageLevel::Success, "Saved <b>your</b> list.");
    messages.add(first, redirect, MessageLevel::Warning, "Check the age band.");

    NextRequest next(redirect);
    Response page;
    auto shown = messages.consume(next.request, page);
    ASSERT_EQ(shown.size(), 2u);
    EXPECT_EQ(shown[0], (Message{MessageLevel::Success, "Saved <b>your</b> list."}));
    EXPECT_EQ(shown[1].level, MessageLevel::Warning);
    // The cookie is cleared, so the page after shows nothing.
    auto cleared = page.header("Set-Cookie");
    ASSERT_TRUE(cleared);
    EXPECT_NE(cleared->find("Max-Age=0"), std::string_view::npos);
    NextRequest after(page);
    Response third;
    EXPECT_TRUE(messages.consume(after.request, third).empty());
    EXPECT_FALSE(third.header("Set-Cookie"));  // nothing to clear: no cookie churn
}

TEST(Messages, UnshownMessagesSurviveAnotherRedirect) {
    Messages messages(options());
    Request first;
    Response r1;
    messages.add(first, r1, MessageLevel::Info, "one");
    NextRequest second(r1);
    Response r2;
    messages.add(second.request, r2, MessageLevel::Error, "two");
    NextRequest third(r2);
    Response r3;
    auto shown = messages.consume(third.request, r3);
    ASSERT_EQ(shown.size(), 2u);
    EXPECT_EQ(shown[0].text, "one");
    EXPECT_EQ(shown[1].text, "two");
}

TEST(Messages, TamperedOrForeignCookiesAreIgnored) {
    Messages messages(options());
    Response r;
    messages.add(Request{}, r, MessageLevel::Info, "hello");
    std::string value(*find_set_cookie(r, kMessagesCookie));
    EXPECT_TRUE(messages.decode(value));
    std::string tampered = value;
    tampered[2] = tampered[2] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(messages.decode(tampered));
    SecurityOptions other = options();
    other.secret_key = "another-key";
    EXPECT_FALSE(Messages(other).decode(value));
    EXPECT_FALSE(messages.decode(""));
    EXPECT_FALSE(messages.decode("garbage"));
}

TEST(Messages, OldestAreDroppedToFitTheCookie) {
    Messages messages(options());
    Request request;
    Response r;
    for (int i = 0; i < 40; ++i)
        messages.add(request, r, MessageLevel::Info,
                     "message " + std::to_string(i) + std::string(80, '.'));
    auto value = find_set_cookie(r, kMessagesCookie);
    ASSERT_TRUE(value);
    EXPECT_LE(value->size(), Messages::kMaxCookieBytes);
    auto kept = messages.decode(*value);
    ASSERT_TRUE(kept && !kept->empty());
    EXPECT_TRUE(kept->back().text.starts_with("message 39"));
    EXPECT_FALSE(kept->front().text.starts_with("message 0."));
}

TEST(Messages, ContextForTemplates) {
    auto context = Messages::to_context({{MessageLevel::Success, "Saved."}});
    EXPECT_EQ(context.dump(), R"([{"level":"success","message":"Saved.","tags":"success"}])");
    // Invalid UTF-8 in a message does not throw.
    Messages messages(options());
    Response r;
    messages.add(Request{}, r, MessageLevel::Info, "bad \xff byte");
    EXPECT_TRUE(find_set_cookie(r, kMessagesCookie));
}
