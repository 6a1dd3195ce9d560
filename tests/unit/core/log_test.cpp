#include "core/log.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace famigo {
namespace {

// The level is process-wide: each test puts back the default it found.
class LogLevelTest : public ::testing::Test {
  protected:
    void TearDown() override { log::set_level(log::Level::Info); }
};

TEST_F(LogLevelTest, EnabledFollowsTheLevelFilter) {
    log::set_level(log::Level::Warn);
    EXPECT_FALSE(log::enabled(log::Level::Debug));
    EXPECT_FALSE(log::enabled(log::Level::Info));
    EXPECT_TRUE(log::enabled(log::Level::Warn));
    EXPECT_TRUE(log::enabled(log::Level::Error));
    log::set_level(log::Level::Debug);
    EXPECT_TRUE(log::enabled(log::Level::Debug));
}

TEST_F(LogLevelTest, WritesOnlyWhatIsEnabled) {
    log::set_level(log::Level::Warn);
    testing::internal::CaptureStderr();
    log::info("dropped line");
    log::warn("kept \"line\"");
    std::string out = testing::internal::GetCapturedStderr();
    EXPECT_EQ(out.find("dropped line"), std::string::npos);
    EXPECT_NE(out.find("\"level\":\"warn\""), std::string::npos);
    EXPECT_NE(out.find("\"msg\":\"kept \\\"line\\\"\""), std::string::npos);
}

TEST_F(LogLevelTest, ParseLevelRejectsUnknownNames) {
    EXPECT_EQ(log::parse_level("debug"), log::Level::Debug);
    EXPECT_EQ(log::parse_level("error"), log::Level::Error);
    EXPECT_THROW(log::parse_level("verbose"), ConfigError);
    EXPECT_THROW(log::parse_level("INFO"), ConfigError);
}

}  // namespace
}  // namespace famigo
