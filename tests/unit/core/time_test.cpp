#include "core/time.hpp"

#include <gtest/gtest.h>

namespace famigo {
namespace {

TEST(Time, Iso8601InUtc) {
    EXPECT_EQ(utc_iso8601(0), "1970-01-01T00:00:00Z");
    EXPECT_EQ(utc_iso8601(1795827512), "2026-11-28T00:58:32Z");
    EXPECT_EQ(utc_now_iso().size(), 20u);
}

}  // namespace
}  // namespace famigo
