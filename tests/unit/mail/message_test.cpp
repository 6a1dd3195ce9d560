#include "mail/message.hpp"

#include <gtest/gtest.h>

#include "core/encoding.hpp"

namespace famigo::mail {
namespace {

Message sample() {
    Message m;
    m.from = "Famigo <noreply@famigo.test>";
    m.to = {"Zoë Tester <zoe@example.com>", "plain@example.com"};
    m.subject = "Grüße aus Köln — a long subject that needs more than one encoded word, 🎮🎮🎮";
    m.text = "Hello Zoë\nline two";
    m.html = "<p>Hello <b>Zoë</b></p>";
    return m;
}

std::string header(const std::string& data, const std::string& name) {
    auto at = data.find("\r\n" + name + ": ");
    if (data.starts_with(name + ": "))
        at = 0;
    else if (at == std::string::npos)
        return {};
    else
        at += 2;
    auto end = data.find("\r\n", at);
    while (end != std::string::npos && end + 2 < data.size() && data[end + 2] == ' ')
        end = data.find("\r\n", end + 2);  // folded continuation lines
    return data.substr(at + name.size() + 2, end - at - name.size() - 2);
}

TEST(MailMessage, HeadersOfAMultipartMail) {
    auto r = render(sample(), std::chrono::system_clock::from_time_t(1796392852));
    EXPECT_EQ(r.envelope_from, "noreply@famigo.test");
    EXPECT_EQ(r.recipients, (std::vector<std::string>{"zoe@example.com", "plain@example.com"}));
    EXPECT_EQ(header(r.data, "Date"), "Fri, 04 Dec 2026 14:00:52 +0000");
    EXPECT_EQ(header(r.data, "MIME-Version"), "1.0");
    EXPECT_EQ(header(r.data, "Message-ID"), r.message_id);
    EXPECT_TRUE(r.message_id.ends_with("@famigo.test>"));
    EXPECT_EQ(header(r.data, "From"), "Famigo <noreply@famigo.test>");
    EXPECT_EQ(header(r.data, "To"),
              "=?UTF-8?B?Wm/DqyBUZXN0ZXI=?= <zoe@example.com>,\r\n plain@example.com");
    EXPECT_NE(header(r.data, "Content-Type").find("multipart/alternative; boundary="),
              std::string::npos);
    EXPECT_EQ(r.data.find('\n'), r.data.find("\r\n") + 1);  // CRLF line ends
    for (std::size_t i = 0; i < r.data.size(); ++i)
        if (r.data[i] == '\n') {
            ASSERT_EQ(r.data[i - 1], '\r') << "bare LF at " << i;
        }
}

TEST(MailMessage, AGivenIdMakesTheSameMessageIdEverySend) {
    Message m = sample();
    m.id = "abc123.1796392852";
    EXPECT_EQ(render(m, {}).message_id, "<abc123.1796392852@famigo.test>");
    EXPECT_EQ(render(m, {}).message_id, render(m, {}).message_id);
    m.id.clear();
    EXPECT_NE(render(m, {}).message_id, render(m, {}).message_id);
    for (const char* bad : {"a b", "a@b", "a>b", "x\r\nBcc: y"}) {
        m.id = bad;
        EXPECT_THROW(render(m, {}), BadMessage) << bad;
    }
}

TEST(MailMessage, SubjectIsEncodedWordsThatDecodeBack) {
    std::string subject = header(render(sample(), {}).data, "Subject");
    std::string decoded;
    std::size_t at = 0;
    while ((at = subject.find("=?UTF-8?B?", at)) != std::string::npos) {
        auto end = subject.find("?=", at + 10);
        ASSERT_NE(end, std::string::npos);
        ASSERT_LE(end + 2 - at, 75u) << "an encoded word is at most 75 characters";
        auto part = encoding::base64_decode(subject.substr(at + 10, end - at - 10));
        ASSERT_TRUE(part);
        decoded += *part;
        at = end + 2;
    }
    EXPECT_EQ(decoded, sample().subject);
    EXPECT_EQ(encode_header_words("Plain ASCII"), "Plain ASCII");
}

TEST(MailMessage, BothPartsAreBase64Utf8) {
    auto r = render(sample(), {});
    EXPECT_NE(
        r.data.find(
            "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
            encoding::base64_encode(sample().text)),
        std::string::npos);
    EXPECT_NE(
        r.data.find(
            "Content-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
            encoding::base64_encode(sample().html)),
        std::string::npos);
    auto boundary = header(r.data, "Content-Type");
    boundary = boundary.substr(boundary.find('"') + 1);
    boundary.pop_back();
    EXPECT_TRUE(r.data.ends_with("--" + boundary + "--\r\n"));
    Message text_only = sample();
    text_only.html.clear();
    auto t = render(text_only, {});
    EXPECT_EQ(header(t.data, "Content-Type"), "text/plain; charset=UTF-8");
    EXPECT_EQ(t.data.find("multipart"), std::string::npos);
}

TEST(MailMessage, HeaderInjectionAndBadAddressesAreRefused) {
    auto refused = [](auto change) {
        Message m = sample();
        change(m);
        EXPECT_THROW(render(m, {}), BadMessage);
    };
    refused([](Message& m) { m.subject = "hi\r\nBcc: victim@example.com"; });
    refused([](Message& m) { m.subject = "hi\nBcc: victim@example.com"; });
    refused([](Message& m) { m.to = {"a@example.com\r\nBcc: victim@example.com"}; });
    refused([](Message& m) { m.from = "Evil\r\n <a@example.com>"; });
    refused([](Message& m) { m.to = {"no-at-sign"}; });
    refused([](Message& m) { m.to = {"a@b@c"}; });
    refused([](Message& m) { m.to = {"a b@example.com"}; });
    refused([](Message& m) { m.to = {"x <a@example.com"}; });
    refused([](Message& m) { m.to = {}; });
    refused([](Message& m) { m.text.clear(); });
    refused([](Message& m) { m.reply_to = "r@example.com\nX: y"; });
    try {
        Message m = sample();
        m.subject = "a\rb";
        render(m, {});
        FAIL();
    } catch (const BadMessage& e) {
        EXPECT_NE(std::string(e.what()).find("subject"), std::string::npos) << e.what();
    }
}

TEST(MailMessage, JsonRoundTripAndItsErrorsNameTheField) {
    Message m = sample();
    m.id = "fixed.1";
    Message back = message_from_json(to_json(m));
    EXPECT_EQ(back.id, "fixed.1");
    EXPECT_EQ(back.to, m.to);
    EXPECT_EQ(back.subject, m.subject);
    EXPECT_EQ(back.html, m.html);
    EXPECT_EQ(message_from_json({{"to", "a@b.c"}, {"subject", "s"}, {"text", "t"}}).to,
              std::vector<std::string>{"a@b.c"});
    try {
        message_from_json({{"to", "a@b.c"}, {"text", "t"}});
        FAIL();
    } catch (const BadMessage& e) {
        EXPECT_NE(std::string(e.what()).find("subject"), std::string::npos);
    }
    EXPECT_THROW(message_from_json({{"to", 5}, {"subject", "s"}, {"text", "t"}}), BadMessage);
    EXPECT_THROW(message_from_json(nlohmann::json::array()), BadMessage);
}

}  // namespace
}  // namespace famigo::mail
