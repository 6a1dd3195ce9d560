#include "http/address.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "http/middlewares.hpp"

using namespace famigo;
using namespace famigo::http;

TEST(Address, ParsesOnlyIpAddresses) {
    EXPECT_TRUE(parse_ip("192.0.2.1"));
    EXPECT_TRUE(parse_ip("2001:db8::1"));
    EXPECT_EQ(parse_ip("::ffff:10.0.0.1"), parse_ip("10.0.0.1"));
    for (auto bad : {"", "garbage", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4:80", "[::1]",
                     "example.com", "::1::2", "1.2.3.4 "})
        EXPECT_FALSE(parse_ip(bad)) << bad;
}

TEST(Address, StripsPorts) {
    EXPECT_EQ(address_without_port("192.0.2.1"), "192.0.2.1");
    EXPECT_EQ(address_without_port("192.0.2.1:8080"), "192.0.2.1");
    EXPECT_EQ(address_without_port("2001:db8::1"), "2001:db8::1");
    EXPECT_EQ(address_without_port("[2001:db8::1]"), "2001:db8::1");
    EXPECT_EQ(address_without_port("[2001:db8::1]:443"), "2001:db8::1");
    for (auto bad : {"garbage", "192.0.2.1:", "192.0.2.1:99999", "192.0.2.1:x", "[::1", "[::1]x",
                     "[1.2.3.4]", "host:80", "unknown"})
        EXPECT_EQ(address_without_port(bad), "") << bad;
}

TEST(Address, Networks) {
    auto ten = parse_network("10.0.0.0/8");
    ASSERT_TRUE(ten);
    EXPECT_TRUE(ten->contains(*parse_ip("10.200.3.4")));
    EXPECT_TRUE(ten->contains(*parse_ip("::ffff:10.1.1.1")));
    EXPECT_FALSE(ten->contains(*parse_ip("11.0.0.1")));
    auto v6 = parse_network("2001:db8::/33");
    ASSERT_TRUE(v6);
    EXPECT_TRUE(v6->contains(*parse_ip("2001:db8:7fff::1")));
    EXPECT_FALSE(v6->contains(*parse_ip("2001:db8:8000::1")));
    EXPECT_TRUE(parse_network("::1")->contains(*parse_ip("::1")));
    EXPECT_FALSE(parse_network("::1")->contains(*parse_ip("127.0.0.1")));
    for (auto bad : {"10.0.0.0/33", "10.0.0.0/", "::/129", "x/8", "10.0.0.0/8x"})
        EXPECT_FALSE(parse_network(bad)) << bad;
    EXPECT_THROW(parse_networks({"10.0.0.1", "nope"}, "k"), ConfigError);
    EXPECT_TRUE(in_networks("127.0.0.5", parse_networks({"127.0.0.0/8"}, "k")));
    EXPECT_FALSE(in_networks("unknown", parse_networks({"127.0.0.0/8"}, "k")));
}

TEST(ForwardedFor, RightmostUntrustedAddressWithoutPort) {
    auto proxies = parse_networks({"10.0.0.0/8"}, "k");
    EXPECT_EQ(forwarded_client("203.0.113.9", proxies), "203.0.113.9");
    EXPECT_EQ(forwarded_client("198.51.100.1, 203.0.113.9:8080, 10.0.0.2", proxies), "203.0.113.9");
    EXPECT_EQ(forwarded_client("[2001:db8::7]:51000", proxies), "2001:db8::7");
    EXPECT_EQ(forwarded_client("10.0.0.3, 10.0.0.2", proxies), "10.0.0.3");
    // Garbage anywhere we look: nothing is believed.
    EXPECT_EQ(forwarded_client("1.1.1.1, garbage", proxies), "");
    EXPECT_EQ(forwarded_client("1.1.1.1,", proxies), "");
    EXPECT_EQ(forwarded_client("", proxies), "");
    EXPECT_EQ(forwarded_client("unknown", proxies), "");
}

TEST(ProxyMiddleware, MalformedForwardedForFallsBackToPeer) {
    ProxyMiddleware m({"127.0.0.1"});
    for (auto header : {"1.1.1.1, garbage", "<script>", "1.1.1.1:99999"}) {
        Request request;
        request.add_header("X-Forwarded-For", header);
        request.peer_address = "127.0.0.1";
        request.client_address = request.peer_address;
        Response response;
        m.before(request, response);
        EXPECT_EQ(request.client_address, "127.0.0.1") << header;
    }
    Request request;
    request.add_header("X-Forwarded-For", "1.1.1.1:8080");
    request.peer_address = "::ffff:127.0.0.1";
    request.client_address = request.peer_address;
    Response response;
    m.before(request, response);
    EXPECT_EQ(request.client_address, "1.1.1.1");
    EXPECT_THROW(ProxyMiddleware({"not-an-address"}), ConfigError);
}
