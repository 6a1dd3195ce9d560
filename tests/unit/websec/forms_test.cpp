#include "web/security/forms.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

using namespace famigo::web::security;

namespace {

FormData data(std::initializer_list<std::pair<std::string, std::string>> fields) {
    FormData d;
    for (const auto& [k, v] : fields) d.add(k, v);
    return d;
}

std::vector<std::string> errors_of(Field field, std::string value) {
    std::string name = field.name;
    Form form({std::move(field)});
    form.validate(data({{name, std::move(value)}}));
    return form.errors(name);
}

using Errors = std::vector<std::string>;

}  // namespace

TEST(Forms, DjangoMessagesWordForWord) {
    EXPECT_EQ(errors_of(Field::text("n", "N"), ""), Errors{"This field is required."});
    EXPECT_EQ(errors_of(Field::text("n", "N"), "   "), Errors{"This field is required."});
    EXPECT_EQ(errors_of(Field::text("n", "N").max(50), std::string(57, 'x')),
              Errors{"Ensure this value has at most 50 characters (it has 57)."});
    EXPECT_EQ(errors_of(Field::text("n", "N").max(1), "ab"),
              Errors{"Ensure this value has at most 1 character (it has 2)."});
    EXPECT_EQ(errors_of(Field::text("n", "N").min(3), "ab"),
              Errors{"Ensure this value has at least 3 characters (it has 2)."});
    EXPECT_EQ(errors_of(Field::integer("n", "N"), "12a"), Errors{"Enter a whole number."});
    EXPECT_EQ(errors_of(Field::integer("n", "N").range(0, 120), "121"),
              Errors{"Ensure this value is less than or equal to 120."});
    EXPECT_EQ(errors_of(Field::integer("n", "N").range(0, 120), "-1"),
              Errors{"Ensure this value is greater than or equal to 0."});
    EXPECT_EQ(errors_of(Field::choice("n", "N", {{"a", "A"}}), "b"),
              Errors{"Select a valid choice. b is not one of the available choices."});
    EXPECT_EQ(errors_of(Field::email("n", "N"), "not-an-email"),
              Errors{"Enter a valid email address."});
    EXPECT_EQ(errors_of(Field::url("n", "N"), "http://"), Errors{"Enter a valid URL."});
    EXPECT_EQ(
        errors_of(Field::slug("n", "N"), "no spaces"),
        Errors{"Enter a valid \u201cslug\u201d consisting of letters, numbers, underscores or "
               "hyphens."});
}

TEST(Forms, LengthCountsCharactersNotBytes) {
    EXPECT_TRUE(errors_of(Field::text("n", "N").max(4), "\xC3\xA9t\xC3\xA9s").empty());  // "étés"
}

TEST(Forms, CleanedValues) {
    Form form({Field::text("name", "Name"), Field::integer("age", "Age").optional(),
               Field::boolean("news", "News"), Field::url("site", "Site").optional(),
               Field::password("pw", "Password").optional(), Field::hidden("next").optional()});
    EXPECT_FALSE(form.is_valid());  // unbound
    ASSERT_TRUE(form.validate(data({{"name", "  Ann  "},
                                    {"age", " +42 "},
                                    {"news", "on"},
                                    {"site", "famigo.com/x"},
                                    {"pw", " secret "}})));
    EXPECT_EQ(form.value("name"), "Ann");
    EXPECT_EQ(form.integer("age"), 42);
    EXPECT_TRUE(form.checked("news"));
    EXPECT_EQ(form.value("site"), "http://famigo.com/x");
    EXPECT_EQ(form.value("pw"), " secret ");  // passwords are not stripped
    EXPECT_EQ(form.value("next"), "");

    ASSERT_TRUE(form.validate(data({{"name", "Bob"}, {"news", "false"}})));
    EXPECT_FALSE(form.checked("news"));
    EXPECT_EQ(form.integer("age"), std::nullopt);
}

TEST(Forms, NonFieldErrorsAndAddError) {
    Form form({Field::text("a", "A"), Field::text("b", "B")});
    ASSERT_TRUE(form.validate(data({{"a", "x"}, {"b", "x"}})));
    form.add_error("", "A and B must differ.");
    form.add_error("b", "Pick another.");
    EXPECT_FALSE(form.is_valid());
    EXPECT_EQ(form.non_field_errors(), Errors{"A and B must differ."});
    EXPECT_EQ(form.errors("b"), Errors{"Pick another."});
    EXPECT_EQ(form.value("b"), "");
    auto context = form.context();
    EXPECT_TRUE(context["has_errors"].get<bool>());
    EXPECT_EQ(context["non_field_errors"][0], "A and B must differ.");
}

TEST(Forms, ContextKeepsTypedValuesButNeverPasswords) {
    Form form({Field::text("name", "Name").max(3), Field::password("pw", "Password"),
               Field::choice("p", "Platform", {{"android", "Android"}, {"ios", "iOS"}}),
               Field::boolean("news", "News")});
    form.validate(data({{"name", "<script>"}, {"pw", "hunter2"}, {"p", "ios"}, {"news", "1"}}));
    auto context = form.context();
    auto name = context["by_name"]["name"];
    EXPECT_EQ(name["value"], "<script>");  // the template engine escapes it
    EXPECT_EQ(name["errors"][0], "Ensure this value has at most 3 characters (it has 8).");
    EXPECT_EQ(name["input_type"], "text");
    EXPECT_EQ(context["by_name"]["pw"]["value"], "");
    EXPECT_EQ(context["by_name"]["pw"]["input_type"], "password");
    EXPECT_FALSE(context["by_name"]["p"]["choices"][0]["selected"].get<bool>());
    EXPECT_TRUE(context["by_name"]["p"]["choices"][1]["selected"].get<bool>());
    EXPECT_TRUE(context["by_name"]["news"]["checked"].get<bool>());
    EXPECT_EQ(context["fields"].size(), 4u);

    Form fresh({Field::text("name", "Name").with_initial("Ann")});
    EXPECT_EQ(fresh.context()["fields"][0]["value"], "Ann");
    EXPECT_FALSE(fresh.context()["has_errors"].get<bool>());
}

TEST(Validators, Email) {
    for (const char* ok : {"a@b.co", "first.last+tag@famigo.com", "x@sub.example.org",
                           "u@[127.0.0.1]", "j\xC3\xB6rg@m\xC3\xBCller.de"})
        EXPECT_TRUE(is_valid_email(ok)) << ok;
    for (const char* bad : {"", "a", "@b.co", "a@", "a@b", "a@b..co", ".a@b.co", "a.@b.co",
                            "a b@c.co", "a@-b.co", "a@b.123", "a@b.co>", "a@@b.co"})
        EXPECT_FALSE(is_valid_email(bad)) << bad;
}

TEST(Validators, UrlAndSlug) {
    for (const char* ok :
         {"http://famigo.com", "https://www.famigo.com/app/x/?q=1#f", "http://localhost:8000/",
          "http://127.0.0.1/", "https://[::1]:8443/x", "ftp://files.example.org/a"})
        EXPECT_TRUE(is_valid_url(ok)) << ok;
    for (const char* bad :
         {"", "famigo.com", "javascript:alert(1)", "http://", "http://a b.com", "http://famigo",
          "http://famigo.com:99999", "gopher://x.com", "http://[::1"})
        EXPECT_FALSE(is_valid_url(bad)) << bad;
    EXPECT_TRUE(is_valid_slug("best-free_games2"));
    EXPECT_FALSE(is_valid_slug("no/slash"));
    EXPECT_FALSE(is_valid_slug(""));
}
