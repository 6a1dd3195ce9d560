#include "cache/single_flight.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace famigo::cache {
namespace {

using namespace std::chrono_literals;

TEST(SingleFlight, OneLeaderOthersWaitForItsResult) {
    SingleFlight<int> flights;
    auto leader = flights.join("k");
    EXPECT_TRUE(leader.leader);
    auto follower = flights.join("k");
    EXPECT_FALSE(follower.leader);
    EXPECT_TRUE(flights.in_flight("k"));
    EXPECT_FALSE(flights.in_flight("other"));
    std::thread waiter([&] { EXPECT_EQ(follower.flight->wait(5s), 42); });
    std::this_thread::sleep_for(10ms);
    flights.finish("k", leader.flight, 42);
    waiter.join();
    EXPECT_FALSE(flights.in_flight("k"));
    EXPECT_TRUE(flights.join("k").leader);  // the next miss starts a new flight
}

TEST(SingleFlight, WaitingIsBounded) {
    SingleFlight<int> flights;
    auto leader = flights.join("k");
    auto follower = flights.join("k");
    auto start = std::chrono::steady_clock::now();
    EXPECT_FALSE(follower.flight->wait(30ms));
    EXPECT_GE(std::chrono::steady_clock::now() - start, 30ms);
    flights.finish("k", leader.flight, 1);
    EXPECT_EQ(follower.flight->wait(0ms), 1);  // finished: no wait at all
}

}  // namespace
}  // namespace famigo::cache
