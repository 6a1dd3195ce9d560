// {% cache %} through web::TemplateFragmentCache: the engine's fragment cache backed by
// cache::Cache.
#include "web/template_cache/template_cache.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cache/memory/memory_cache.hpp"

namespace famigo::web {
namespace {

using namespace std::chrono_literals;
using cache::KeyOptions;
using cache::MemoryCache;
using cache::MemoryOptions;

class TemplateFragmentsTest : public ::testing::Test {
  protected:
    std::string render(const std::string& source, const nlohmann::json& context) {
        return engine_->from_string(source)->render(context);
    }
    void make_engine() {
        web::tmpl::EngineOptions options;
        options.fragment_cache = fragments_;
        engine_ = std::make_unique<web::tmpl::Engine>(options);
    }

    MemoryCache cache_{KeyOptions{"site", 1}, 60s, MemoryOptions{}};
    std::shared_ptr<TemplateFragmentCache> fragments_ =
        std::make_shared<TemplateFragmentCache>(cache_);
    std::unique_ptr<web::tmpl::Engine> engine_;
};

TEST_F(TemplateFragmentsTest, AFragmentIsRenderedOnceThenServedFromTheCache) {
    make_engine();
    const std::string source = "[{% cache 60 sidebar %}{{ n }}{% endcache %}]";
    EXPECT_EQ(render(source, {{"n", 1}}), "[1]");
    EXPECT_EQ(render(source, {{"n", 2}}), "[1]");
    EXPECT_EQ(cache_.items(), 1u);
}

TEST_F(TemplateFragmentsTest, VaryOnArgumentsMakeSeparateFragmentsWithDjangoKeys) {
    make_engine();
    const std::string source = "{% cache 60 box user %}{{ n }}{% endcache %}";
    EXPECT_EQ(render(source, {{"n", 1}, {"user", "ann"}}), "1");
    EXPECT_EQ(render(source, {{"n", 2}, {"user", "bob"}}), "2");
    EXPECT_EQ(render(source, {{"n", 3}, {"user", "ann"}}), "1");
    // Django's make_template_fragment_key("box", ["ann"]): md5 of "ann:".
    EXPECT_EQ(cache_.get("template.cache.box.4d98949ef9537b7163ffae62180b8aa2"), "1");
}

TEST_F(TemplateFragmentsTest, TimeoutFollowsDjango) {
    make_engine();
    EXPECT_EQ(render("{% cache 0 z %}{{ n }}{% endcache %}", {{"n", 1}}), "1");
    EXPECT_EQ(render("{% cache 0 z %}{{ n }}{% endcache %}", {{"n", 2}}), "2");  // 0: not kept
    EXPECT_EQ(render("{% cache None f %}{{ n }}{% endcache %}", {{"n", 1}}), "1");
    EXPECT_EQ(render("{% cache None f %}{{ n }}{% endcache %}", {{"n", 2}}),
              "1");  // None: for ever
}

TEST_F(TemplateFragmentsTest, UsingPicksANamedCacheAndAnUnknownNameIsAnError) {
    MemoryCache other{KeyOptions{"other", 1}, 60s, MemoryOptions{}};
    fragments_ = std::make_shared<TemplateFragmentCache>(
        cache_, std::map<std::string, cache::Cache*, std::less<>>{{"local", &other}});
    make_engine();
    EXPECT_EQ(render("{% cache 60 a using=\"local\" %}x{% endcache %}", {}), "x");
    EXPECT_EQ(other.items(), 1u);
    EXPECT_EQ(cache_.items(), 0u);
    EXPECT_EQ(render("{% cache 60 a using=\"default\" %}y{% endcache %}", {}), "y");
    EXPECT_EQ(cache_.items(), 1u);
    EXPECT_ANY_THROW(render("{% cache 60 a using=\"nope\" %}z{% endcache %}", {}));
}

}  // namespace
}  // namespace famigo::web
