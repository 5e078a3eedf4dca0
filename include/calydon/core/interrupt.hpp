// calydon/core/interrupt.hpp: cooperative cancellation of long loops (Ctrl-C).
//
// The core never talks to Python. A binding raises the flag from a signal handler; long loops
// poll it every few thousand iterations through `poll_interrupt` and unwind with `interrupted`,
// which the binding turns into KeyboardInterrupt.
#pragma once

#include <atomic>
#include <cstdint>
#include <stdexcept>

namespace calydon {

struct interrupted : std::runtime_error {
    interrupted() : std::runtime_error("calydon: interrupted by the user") {}
};

inline std::atomic<bool>& interrupt_flag() {
    static std::atomic<bool> flag{false};
    return flag;
}

inline void check_interrupt() {
    if (interrupt_flag().load(std::memory_order_relaxed)) {
        interrupt_flag().store(false, std::memory_order_relaxed);
        throw interrupted();
    }
}

/// Cheap enough for inner loops: an atomic load only every 4096 calls.
inline void poll_interrupt(std::uint64_t iteration) {
    if ((iteration & 4095u) == 0) check_interrupt();
}

}  // namespace calydon
