// Internal to the Redis backend: a pool of blocking hiredis connections, one
// lent to a thread per command, and replies copied into plain values so no
// hiredis type leaves this folder. A connection that failed is dropped and
// the next command opens a new one.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "tasks/redis/redis_broker.hpp"

namespace famigo::tasks {

struct Reply {
    enum class Type { Nil, String, Integer, Array, Status } type = Type::Nil;
    std::string str;
    std::int64_t integer = 0;
    std::vector<Reply> elements;
    bool nil() const { return type == Type::Nil; }
};

class RedisBroker::Connections {
  public:
    explicit Connections(const RedisOptions& options) : options_(options) {}
    ~Connections();
    Connections(const Connections&) = delete;
    Connections& operator=(const Connections&) = delete;

    // Runs one command (arguments binary-safe); throws BrokerUnavailable on a
    // connection failure or an error reply.
    Reply command(const std::vector<std::string>& args);
    // Runs a Lua script with its keys and arguments: EVALSHA of the script
    // loaded once (SCRIPT LOAD), loaded again after a NOSCRIPT (a restarted
    // Redis forgets its scripts), so the script's text is not sent per call.
    Reply eval(const std::string& script, const std::vector<std::string>& keys,
               const std::vector<std::string>& args);

  private:
    void* take();  // a redisContext*, connected (and authenticated, db selected)
    void give_back(void* context);

    RedisOptions options_;
    std::mutex mutex_;
    std::vector<void*> idle_;
    std::map<std::string, std::string> script_shas_;  // script text -> SHA1; guarded by mutex_
};

}  // namespace famigo::tasks
