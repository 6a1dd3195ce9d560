// Single-flight: when many requests miss on one key at once, the first one
// (the leader) computes the value and the others wait for its result instead
// of each computing it, so an expired popular page costs one view call, not
// a stampede of them. Waiting is bounded: a waiter that times out gets
// nothing and decides for itself (the page cache then runs the view).
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace famigo::cache {

template <class Result>
class SingleFlight {
  public:
    class Flight {
      public:
        // The leader's result; nullopt when `timeout` passed first.
        std::optional<Result> wait(std::chrono::milliseconds timeout) {
            std::unique_lock lock(mutex_);
            if (!done_cv_.wait_for(lock, timeout, [this] { return done_; })) return std::nullopt;
            return result_;
        }

      private:
        friend class SingleFlight;
        std::mutex mutex_;
        std::condition_variable done_cv_;
        bool done_ = false;
        Result result_{};
    };

    struct Ticket {
        std::shared_ptr<Flight> flight;
        bool leader = false;
    };

    // Joins the flight for `key`, starting it (as leader) when there is none.
    // A leader must call finish() exactly once, whatever happens.
    Ticket join(std::string_view key) {
        std::lock_guard lock(mutex_);
        auto it = flights_.find(key);
        if (it != flights_.end()) return {it->second, false};
        auto flight = std::make_shared<Flight>();
        flights_.emplace(std::string(key), flight);
        return {std::move(flight), true};
    }

    bool in_flight(std::string_view key) const {
        std::lock_guard lock(mutex_);
        return flights_.find(key) != flights_.end();
    }

    // Ends the leader's flight: wakes every waiter with `result`.
    void finish(std::string_view key, const std::shared_ptr<Flight>& flight, Result result) {
        {
            std::lock_guard lock(mutex_);
            auto it = flights_.find(key);
            if (it != flights_.end() && it->second == flight) flights_.erase(it);
        }
        {
            std::lock_guard lock(flight->mutex_);
            flight->result_ = std::move(result);
            flight->done_ = true;
        }
        flight->done_cv_.notify_all();
    }

    std::size_t size() const {
        std::lock_guard lock(mutex_);
        return flights_.size();
    }

  private:
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const {
            return std::hash<std::string_view>{}(s);
        }
    };
    mutable std::mutex mutex_;
    std::unordered_map<std::string, std::shared_ptr<Flight>, Hash, std::equal_to<>> flights_;
};

}  // namespace famigo::cache
