// Celery task protocol 2 in kombu's envelope: what famigo writes decodes to
// the same task, and a message as Celery's send_task writes it is understood.
#include "tasks/redis/celery_message.hpp"

#include <gtest/gtest.h>

#include "core/encoding.hpp"

namespace famigo::tasks {
namespace {

TEST(CeleryMessage, RoundTripKeepsTheTask) {
    Task t;
    t.id = new_task_id();
    t.name = "famigo.add";
    t.queue = "famigo";
    t.args = Json::array({2, 3});
    t.kwargs = Json{{"note", "ünïcode"}};
    t.retries = 2;
    t.max_retries = 5;
    t.eta = from_ms(1800000000123);
    t.idempotency_key = "k1";
    t.keep_result = true;
    t.result_ttl = milliseconds(5000);
    t.enqueued_at = from_ms(1700000000000);
    std::string m = celery::encode(t);
    Json envelope = Json::parse(m);
    EXPECT_EQ(envelope["content-type"], "application/json");
    EXPECT_EQ(envelope["properties"]["body_encoding"], "base64");
    EXPECT_EQ(envelope["headers"]["task"], "famigo.add");
    EXPECT_EQ(envelope["headers"]["eta"], "2027-01-15T08:00:00.123000+00:00");
    Json body = Json::parse(*encoding::base64_decode(envelope["body"].get<std::string>()));
    EXPECT_EQ(body[0], t.args);
    EXPECT_TRUE(body[2].contains("callbacks"));
    Task back = celery::decode(m);
    EXPECT_EQ(back.id, t.id);
    EXPECT_EQ(back.name, t.name);
    EXPECT_EQ(back.queue, "famigo");
    EXPECT_EQ(back.args, t.args);
    EXPECT_EQ(back.kwargs, t.kwargs);
    EXPECT_EQ(back.retries, 2);
    EXPECT_EQ(back.max_retries, 5);
    EXPECT_EQ(to_ms(*back.eta), 1800000000123);
    EXPECT_EQ(back.idempotency_key, "k1");
    EXPECT_TRUE(back.keep_result);
    EXPECT_EQ(back.result_ttl.count(), 5000);
    EXPECT_EQ(to_ms(back.enqueued_at), 1700000000000);
    Task retried = celery::decode(celery::with_retry(m, 3, std::nullopt, "boom"));
    EXPECT_EQ(retried.retries, 3);
    EXPECT_FALSE(retried.eta);
    EXPECT_EQ(celery::error_of(celery::with_retry(m, 3, std::nullopt, "boom")), "boom");
    EXPECT_EQ(celery::queue_of(m), "famigo");
}

TEST(CeleryMessage, ReadsWhatPythonSends) {
    // The shape of app.send_task('famigo.add', args=[2, 3], queue='famigo',
    // countdown=10) from Celery 5.7 with kombu's Redis transport, as read from
    // Redis: several headers are null (ignore_result among them).
    std::string body = encoding::base64_encode(
        R"([[2, 3], {}, {"callbacks": null, "errbacks": null, "chain": null, "chord": null}])");
    Json envelope = {
        {"body", body},
        {"content-encoding", "utf-8"},
        {"content-type", "application/json"},
        {"headers",
         {{"lang", "py"},
          {"task", "famigo.add"},
          {"id", "0b7e9c1e-1f0c-4c59-9d8e-2f4b7a1c9e10"},
          {"eta", "2026-12-03T22:00:10.500000+00:00"},
          {"expires", nullptr},
          {"group", nullptr},
          {"group_index", nullptr},
          {"retries", 0},
          {"timelimit", Json::array({nullptr, nullptr})},
          {"root_id", "0b7e9c1e-1f0c-4c59-9d8e-2f4b7a1c9e10"},
          {"parent_id", nullptr},
          {"origin", "gen17982@vm"},
          {"ignore_result", nullptr},
          {"replaced_task_nesting", 0},
          {"stamped_headers", nullptr},
          {"stamps", Json::object()}}},
        {"properties",
         {{"correlation_id", "0b7e9c1e-1f0c-4c59-9d8e-2f4b7a1c9e10"},
          {"reply_to", "106952f3-917e-3b48-acca-27686302aee9"},
          {"delivery_mode", 2},
          {"delivery_info", {{"exchange", ""}, {"routing_key", "famigo"}}},
          {"priority", 0},
          {"body_encoding", "base64"},
          {"delivery_tag", "x"}}},
    };
    Task t = celery::decode(envelope.dump());
    EXPECT_EQ(t.name, "famigo.add");
    EXPECT_EQ(t.args, Json::array({2, 3}));
    EXPECT_EQ(t.queue, "famigo");
    EXPECT_TRUE(t.keep_result);
    ASSERT_TRUE(t.eta);
    EXPECT_EQ(celery::iso_time(*t.eta), "2026-12-03T22:00:10.500000+00:00");
    EXPECT_EQ(to_ms(*celery::parse_iso_time("2026-12-03T23:00:10+01:00")),
              to_ms(*celery::parse_iso_time("2026-12-03T22:00:10Z")));
    envelope["headers"]["ignore_result"] = true;
    envelope["headers"]["retries"] = nullptr;
    EXPECT_FALSE(celery::decode(envelope.dump()).keep_result);
    EXPECT_EQ(celery::decode(envelope.dump()).retries, 0);
    envelope["headers"]["retries"] = "two";
    EXPECT_THROW(celery::decode(envelope.dump()), BadTask) << "a header of the wrong type";
    EXPECT_THROW(celery::decode("not json"), BadTask);
    EXPECT_THROW(celery::decode(R"({"headers": {}, "body": "e30="})"), BadTask);
}

TEST(CeleryMessage, ResultInCeleryResultBackendLayout) {
    Json meta = Json::parse(celery::result_value("abc", "SUCCESS", 5));
    EXPECT_EQ(meta["status"], "SUCCESS");
    EXPECT_EQ(meta["result"], 5);
    EXPECT_EQ(meta["task_id"], "abc");
    EXPECT_TRUE(meta["traceback"].is_null());
    EXPECT_EQ(celery::result_key("abc"), "celery-task-meta-abc");
}

}  // namespace
}  // namespace famigo::tasks
