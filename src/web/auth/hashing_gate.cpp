#include "web/auth/hashing_gate.hpp"

#include <algorithm>

namespace famigo::web::auth {
namespace {

unsigned slots_for(std::uint64_t memory_budget, std::uint64_t memory_per_hash) {
    std::uint64_t slots = memory_budget / std::max<std::uint64_t>(memory_per_hash, 1);
    return unsigned(std::clamp<std::uint64_t>(slots, 1, 4096));
}

}  // namespace

HashingGate::HashingGate(std::uint64_t memory_budget, std::uint64_t memory_per_hash,
                         std::chrono::milliseconds wait)
    : slots_(slots_for(memory_budget, memory_per_hash)), wait_(wait), free_(slots_) {}

HashingGate::Slot::Slot(const HashingGate& gate) : gate_(gate) {
    if (!gate_.free_.try_acquire_for(gate_.wait_)) throw HashingBusy();
}

HashingGate::Slot::~Slot() {
    gate_.free_.release();
}

}  // namespace famigo::web::auth
