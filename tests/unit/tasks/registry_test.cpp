// The registry binds typed C++ functions to task names; arguments come from
// args by position or kwargs by name, and the wrong shape is BadArguments.
#include "tasks/registry.hpp"

#include <gtest/gtest.h>

namespace famigo::tasks {
namespace {

TEST(Registry, TypedArgumentsByPositionOrName) {
    Registry r;
    r.add_typed<std::string, std::string, int>("t.repeat", {"text", "times"},
                                               [](const std::string& text, int times) {
                                                   std::string out;
                                                   for (int i = 0; i < times; ++i) out += text;
                                                   return out;
                                               });
    const auto* h = r.find("t.repeat");
    ASSERT_TRUE(h);
    EXPECT_EQ((*h)(Json::array({"ab", 3}), Json::object()), "ababab");
    EXPECT_EQ((*h)(Json::array({"x"}), Json{{"times", 2}}), "xx");
    EXPECT_EQ((*h)(Json::array(), Json{{"times", 1}, {"text", "é"}}), "é");
    EXPECT_THROW((*h)(Json::array({"x"}), Json::object()), BadArguments);           // missing
    EXPECT_THROW((*h)(Json::array({"x", "3"}), Json::object()), BadArguments);      // wrong type
    EXPECT_THROW((*h)(Json::array({"x", 2.5}), Json::object()), BadArguments);      // not integral
    EXPECT_THROW((*h)(Json::array({"x", 1, 2}), Json::object()), BadArguments);     // too many
    EXPECT_THROW((*h)(Json::array({"x", 1}), Json{{"loud", true}}), BadArguments);  // unknown
    EXPECT_FALSE(r.find("t.nothing"));
}

TEST(Registry, BuiltinPingAndAdd) {
    Registry r;
    register_builtin_tasks(r);
    EXPECT_EQ((*r.find("famigo.ping"))(Json::array({Json{{"a", 1}}}), Json::object()),
              (Json{{"a", 1}}));
    EXPECT_EQ((*r.find("famigo.add"))(Json::array({2, 3}), Json::object()), 5);
    EXPECT_EQ((*r.find("famigo.add"))(Json::array({2}), Json{{"y", 0.5}}), 2.5);
    EXPECT_THROW((*r.find("famigo.add"))(Json::array({2, "3"}), Json::object()), BadArguments);
    EXPECT_EQ(r.names(), (std::vector<std::string>{"famigo.add", "famigo.ping", "famigo.sleep"}));
}

}  // namespace
}  // namespace famigo::tasks
