#include "web/security/form_data.hpp"

#include <gtest/gtest.h>

using namespace famigo::web::security;

namespace {
FormLimits limits;

int status_of(const std::function<void()>& parse) {
    try {
        parse();
    } catch (const BadForm& e) {
        return e.status();
    }
    return 0;
}
}  // namespace

TEST(UrlEncoded, DecodesLikeABrowserSent) {
    FormData form = parse_urlencoded("a=1&b=x+y&c=%C3%A9t%C3%A9&d&e=&a=2&&%2B=%26", limits);
    EXPECT_EQ(form.get("a"), "2");  // the last, as Django's QueryDict
    EXPECT_EQ(form.get_all("a"), (std::vector<std::string_view>{"1", "2"}));
    EXPECT_EQ(form.get("b"), "x y");
    EXPECT_EQ(form.get("c"), "\xC3\xA9t\xC3\xA9");
    EXPECT_EQ(form.get("d"), "");
    EXPECT_EQ(form.get("e"), "");
    EXPECT_EQ(form.get("+"), "&");
    EXPECT_FALSE(form.get("z"));
    EXPECT_TRUE(parse_urlencoded("", limits).fields().empty());
}

TEST(UrlEncoded, InvalidUtf8BecomesReplacementCharacters) {
    FormData form = parse_urlencoded("a=%FF%C3&b=%ED%A0%80", limits);
    EXPECT_EQ(form.get("a"), "\xEF\xBF\xBD\xEF\xBF\xBD");
    EXPECT_EQ(form.get("b"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate is not UTF-8
}

TEST(UrlEncoded, RefusesMalformedAndOverLimit) {
    EXPECT_EQ(status_of([] { parse_urlencoded("a=%zz", limits); }), 400);
    EXPECT_EQ(status_of([] { parse_urlencoded("a=%00", limits); }), 400);
    FormLimits small{.max_fields = 3, .max_memory = 20, .max_upload_bytes = 10};
    EXPECT_EQ(status_of([&] { parse_urlencoded("a=1&b=2&c=3", small); }), 0);
    EXPECT_EQ(status_of([&] { parse_urlencoded("a=1&b=2&c=3&d=4", small); }), 400);
    EXPECT_EQ(status_of([&] { parse_urlencoded("a=" + std::string(30, 'x'), small); }), 413);
}

namespace {
std::string multipart(std::initializer_list<std::string> parts, std::string_view boundary = "XyZ") {
    std::string body = "preamble is ignored\r\n";
    for (const auto& part : parts) body += "--" + std::string(boundary) + "\r\n" + part + "\r\n";
    body += "--" + std::string(boundary) + "--\r\nepilogue";
    return body;
}
}  // namespace

TEST(Multipart, FieldsAndFiles) {
    std::string body = multipart({
        "Content-Disposition: form-data; name=\"title\"\r\n\r\nHello\r\nWorld",
        "Content-Disposition: form-data; name=\"doc\"; filename=\"C:\\\\Users\\\\x\\\\cv.pdf\"\r\n"
        "Content-Type: application/pdf\r\n\r\n%PDF\x00\x01",
        "content-disposition: FORM-DATA; name=q\r\n\r\n",
        "Content-Disposition: form-data; name=\"empty\"; filename=\"\"\r\n\r\n",
        "Content-Disposition: attachment; name=\"not-a-field\"\r\n\r\nx",
        "Content-Disposition: form-data; name=\"a%22b\"\r\n\r\nq",
    });
    FormData form = parse_multipart(body, "XyZ", limits);
    EXPECT_EQ(form.get("title"), "Hello\r\nWorld");
    EXPECT_EQ(form.get("q"), "");
    EXPECT_EQ(form.get("a%22b"), "q");  // as sent: names are not percent-decoded
    EXPECT_FALSE(form.get("not-a-field"));
    ASSERT_EQ(form.files().size(), 1u);
    const UploadedFile* doc = form.file("doc");
    ASSERT_NE(doc, nullptr);
    EXPECT_EQ(doc->filename, "cv.pdf");
    EXPECT_EQ(doc->content_type, "application/pdf");
    EXPECT_EQ(doc->data, std::string_view("%PDF", 4));  // "\x00" ends the literal above
}

TEST(Multipart, PathsInFilenamesAreDropped) {
    for (std::string name : {"../../etc/passwd", "/etc/passwd", "a/b\\passwd"}) {
        std::string body = multipart(
            {"Content-Disposition: form-data; name=\"f\"; filename=\"" + name + "\"\r\n\r\ndata"});
        EXPECT_EQ(parse_multipart(body, "XyZ", limits).file("f")->filename, "passwd") << name;
    }
}

TEST(Multipart, Limits) {
    FormLimits small{.max_fields = 2, .max_memory = 10, .max_upload_bytes = 8};
    auto field = [](int i, std::string value) {
        return "Content-Disposition: form-data; name=\"f" + std::to_string(i) + "\"\r\n\r\n" +
               value;
    };
    auto file = [](std::string data) {
        return "Content-Disposition: form-data; name=\"u\"; filename=\"a.bin\"\r\n\r\n" + data;
    };
    EXPECT_EQ(status_of([&] {
                  parse_multipart(multipart({field(1, "a"), field(2, "b")}), "XyZ", small);
              }),
              0);
    EXPECT_EQ(
        status_of([&] {
            parse_multipart(multipart({field(1, "a"), field(2, "b"), field(3, "c")}), "XyZ", small);
        }),
        400);
    EXPECT_EQ(status_of([&] {
                  parse_multipart(multipart({field(1, std::string(11, 'x'))}), "XyZ", small);
              }),
              413);
    EXPECT_EQ(status_of([&] { parse_multipart(multipart({file("12345678")}), "XyZ", small); }), 0);
    EXPECT_EQ(status_of([&] { parse_multipart(multipart({file("123456789")}), "XyZ", small); }),
              413);
    std::string big_head =
        "Content-Disposition: form-data; name=\"a\"\r\nX-Junk: " + std::string(9000, 'j') +
        "\r\n\r\nv";
    EXPECT_EQ(status_of([&] { parse_multipart(multipart({big_head}), "XyZ", limits); }), 400);
}

TEST(Multipart, MalformedBodiesAre400) {
    const char* bodies[] = {
        "",
        "no boundary at all",
        "--XyZ",
        "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nunterminated",
        "--XyZ\r\nContent-Disposition: form-data; name=\"a\"",
        "--XyZjunk",
        "--XyZ\r\nbroken header line\r\n\r\nx\r\n--XyZ--",
    };
    for (const char* body : bodies)
        EXPECT_EQ(status_of([&] { parse_multipart(body, "XyZ", limits); }), 400) << body;
    EXPECT_EQ(status_of([] { parse_multipart("--\r\n", "", limits); }), 400);
    // A body with only the closing delimiter is an empty form.
    EXPECT_TRUE(parse_multipart("--XyZ--\r\n", "XyZ", limits).fields().empty());
}

TEST(ParseForm, DispatchesOnContentType) {
    famigo::http::Request request;
    request.body = "a=1";
    EXPECT_TRUE(parse_form(request, limits).fields().empty());
    request.add_header("Content-Type", "Application/X-WWW-Form-Urlencoded; charset=utf-8");
    EXPECT_EQ(parse_form(request, limits).get("a"), "1");

    famigo::http::Request upload;
    std::string body = multipart({"Content-Disposition: form-data; name=\"a\"\r\n\r\n2"}, "b-1");
    upload.body = body;
    upload.add_header("Content-Type", "multipart/form-data; boundary=\"b-1\"");
    EXPECT_EQ(parse_form(upload, limits).get("a"), "2");

    famigo::http::Request no_boundary;
    no_boundary.add_header("Content-Type", "multipart/form-data");
    EXPECT_EQ(status_of([&] { parse_form(no_boundary, limits); }), 400);
}

TEST(HeaderParameter, QuotedAndBare) {
    EXPECT_EQ(header_parameter("form-data; name=\"a;b\"; filename=x.txt", "name"), "a;b");
    EXPECT_EQ(header_parameter("form-data; name=\"a;b\"; filename=x.txt", "filename"), "x.txt");
    EXPECT_EQ(header_parameter("form-data; NAME=v", "name"), "v");
    EXPECT_EQ(header_parameter("form-data; filename=\"f\"", "name"), std::nullopt);
    EXPECT_EQ(header_parameter("form-data; name", "name"), std::nullopt);
    EXPECT_EQ(header_parameter("form-data; name=\"unterminated", "name"), "unterminated");
}
