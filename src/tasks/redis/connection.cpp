#include "tasks/redis/connection.hpp"

#include <hiredis/hiredis.h>

#include <string_view>

namespace famigo::tasks {
namespace {

timeval to_timeval(milliseconds ms) {
    return timeval{static_cast<time_t>(ms.count() / 1000),
                   static_cast<suseconds_t>((ms.count() % 1000) * 1000)};
}

Reply copy(const redisReply* r) {
    Reply out;
    switch (r->type) {
        case REDIS_REPLY_STRING:
            out.type = Reply::Type::String;
            out.str.assign(r->str, r->len);
            break;
        case REDIS_REPLY_STATUS:
            out.type = Reply::Type::Status;
            out.str.assign(r->str, r->len);
            break;
        case REDIS_REPLY_INTEGER:
            out.type = Reply::Type::Integer;
            out.integer = r->integer;
            break;
        case REDIS_REPLY_ARRAY:
            out.type = Reply::Type::Array;
            for (std::size_t i = 0; i < r->elements; ++i)
                out.elements.push_back(copy(r->element[i]));
            break;
        default:
            break;
    }
    return out;
}

}  // namespace

RedisBroker::Connections::~Connections() {
    for (void* c : idle_) redisFree(static_cast<redisContext*>(c));
}

void* RedisBroker::Connections::take() {
    {
        std::lock_guard lock(mutex_);
        if (!idle_.empty()) {
            void* c = idle_.back();
            idle_.pop_back();
            return c;
        }
    }
    timeval connect = to_timeval(options_.connect_timeout);
    redisContext* c = redisConnectWithTimeout(options_.host.c_str(), options_.port, connect);
    std::string where = options_.host + ":" + std::to_string(options_.port);
    if (!c || c->err) {
        std::string why = c ? c->errstr : "out of memory";
        if (c) redisFree(c);
        throw BrokerUnavailable("redis " + where + ": " + why);
    }
    redisSetTimeout(c, to_timeval(options_.command_timeout));
    auto setup = [&](std::vector<std::string> args) {
        std::vector<const char*> argv;
        std::vector<std::size_t> lens;
        for (auto& a : args) {
            argv.push_back(a.data());
            lens.push_back(a.size());
        }
        auto* r = static_cast<redisReply*>(
            redisCommandArgv(c, int(argv.size()), argv.data(), lens.data()));
        bool ok = r && r->type != REDIS_REPLY_ERROR;
        std::string why = r ? std::string(r->str ? r->str : "") : std::string(c->errstr);
        if (r) freeReplyObject(r);
        if (!ok) {
            redisFree(c);
            throw BrokerUnavailable("redis " + where + ": " + args[0] + " failed: " + why);
        }
    };
    if (!options_.password.empty()) setup({"AUTH", options_.password});
    if (options_.db != 0) setup({"SELECT", std::to_string(options_.db)});
    return c;
}

void RedisBroker::Connections::give_back(void* context) {
    std::lock_guard lock(mutex_);
    idle_.push_back(context);
}

Reply RedisBroker::Connections::command(const std::vector<std::string>& args) {
    auto* c = static_cast<redisContext*>(take());
    std::vector<const char*> argv;
    std::vector<std::size_t> lens;
    argv.reserve(args.size());
    lens.reserve(args.size());
    for (const auto& a : args) {
        argv.push_back(a.data());
        lens.push_back(a.size());
    }
    auto* r =
        static_cast<redisReply*>(redisCommandArgv(c, int(argv.size()), argv.data(), lens.data()));
    if (!r) {
        std::string why = c->errstr;
        redisFree(c);  // the connection's state is unknown now
        throw BrokerUnavailable("redis " + options_.host + ":" + std::to_string(options_.port) +
                                ": " + why);
    }
    if (r->type == REDIS_REPLY_ERROR) {
        std::string why(r->str, r->len);
        freeReplyObject(r);
        give_back(c);
        throw BrokerUnavailable("redis " + args[0] + ": " + why);
    }
    Reply out = copy(r);
    freeReplyObject(r);
    give_back(c);
    return out;
}

Reply RedisBroker::Connections::eval(const std::string& script,
                                     const std::vector<std::string>& keys,
                                     const std::vector<std::string>& args) {
    std::string sha;
    {
        std::lock_guard lock(mutex_);
        if (auto it = script_shas_.find(script); it != script_shas_.end()) sha = it->second;
    }
    auto load = [&] {
        sha = command({"SCRIPT", "LOAD", script}).str;
        std::lock_guard lock(mutex_);
        script_shas_[script] = sha;
    };
    if (sha.empty()) load();
    std::vector<std::string> all{"EVALSHA", sha, std::to_string(keys.size())};
    all.insert(all.end(), keys.begin(), keys.end());
    all.insert(all.end(), args.begin(), args.end());
    try {
        return command(all);
    } catch (const BrokerUnavailable& e) {
        // NOSCRIPT: the script did not run; load it again and run it once.
        if (std::string_view(e.what()).find("NOSCRIPT") == std::string_view::npos) throw;
        load();
        all[1] = sha;
        return command(all);
    }
}

}  // namespace famigo::tasks
