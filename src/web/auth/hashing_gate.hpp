// Bounds how many password hashes (Argon2id: auth's verify and re-hash) run
// at once, so a burst of logins cannot take the process's memory: each
// Argon2id check holds security.password_mem_limit (64 MiB by default) for
// its duration. The number of slots is auth.hashing_memory divided by that
// (at least one); a login that finds every slot taken waits up to
// auth.hashing_wait for one, then gives up with HashingBusy, which the
// login view answers with 503 and Retry-After.
#pragma once

#include <chrono>
#include <cstdint>
#include <semaphore>

#include "core/error.hpp"

namespace famigo::web::auth {

// No hashing slot came free within the wait.
class HashingBusy : public Error {
  public:
    HashingBusy() : Error("too many password checks at once") {}
};

class HashingGate {
  public:
    HashingGate(std::uint64_t memory_budget, std::uint64_t memory_per_hash,
                std::chrono::milliseconds wait);
    HashingGate(const HashingGate&) = delete;
    HashingGate& operator=(const HashingGate&) = delete;

    // Holds one slot for its lifetime; throws HashingBusy.
    class Slot {
      public:
        explicit Slot(const HashingGate& gate);
        ~Slot();
        Slot(const Slot&) = delete;
        Slot& operator=(const Slot&) = delete;

      private:
        const HashingGate& gate_;
    };

    unsigned slots() const { return slots_; }

  private:
    unsigned slots_;
    std::chrono::milliseconds wait_;
    mutable std::counting_semaphore<> free_;
};

}  // namespace famigo::web::auth
