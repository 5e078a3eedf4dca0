// calydon/core/interrupt.hpp: cooperative cancellation of long loops (Ctrl-C, per call).
//
// The core never talks to Python. Each heavy call owns a CancellationToken; the threads working
// for that call install it as their current token (TokenScope), and long loops poll it through
// `poll_interrupt`, unwinding with `interrupted`, which the binding turns into KeyboardInterrupt.
//
// A process-wide interrupt (Ctrl-C) is an epoch counter, not a flag: the signal handler only
// increments it (lock-free, async-signal-safe), and every token created before the increment
// sees it. So overlapping calls from several threads are each cancelled, and no call can clear
// another call's request, which a shared boolean flag reset per call would do.
#pragma once

#include <atomic>
#include <cstdint>
#include <stdexcept>

namespace calydon {

struct interrupted : std::runtime_error {
    interrupted() : std::runtime_error("calydon: interrupted by the user") {}
};

/// Number of process-wide interrupt requests so far (Ctrl-C); incremented by a signal handler.
inline std::atomic<std::uint64_t>& interrupt_epoch() {
    static std::atomic<std::uint64_t> epoch{0};
    return epoch;
}

/// Async-signal-safe: asks every running call to stop.
inline void request_interrupt_all() noexcept {
    interrupt_epoch().fetch_add(1, std::memory_order_relaxed);
}

/// Cancellation state of one call: cancelled explicitly, or by any process-wide interrupt
/// requested after the token was created.
class CancellationToken {
public:
    CancellationToken() : start_epoch_(interrupt_epoch().load(std::memory_order_relaxed)) {}
    CancellationToken(const CancellationToken&) = delete;
    CancellationToken& operator=(const CancellationToken&) = delete;

    void cancel() noexcept { cancelled_.store(true, std::memory_order_relaxed); }
    bool cancelled() const noexcept {
        return cancelled_.load(std::memory_order_relaxed) ||
               interrupt_epoch().load(std::memory_order_relaxed) != start_epoch_;
    }

private:
    std::atomic<bool> cancelled_{false};
    std::uint64_t start_epoch_;
};

/// The token polled by the loops running on this thread (none: nothing can cancel them).
inline const CancellationToken*& current_token() {
    thread_local const CancellationToken* token = nullptr;
    return token;
}

/// Makes `token` the current one on this thread for the scope's lifetime; nests.
class TokenScope {
public:
    explicit TokenScope(const CancellationToken* token) : previous_(current_token()) {
        current_token() = token;
    }
    ~TokenScope() { current_token() = previous_; }
    TokenScope(const TokenScope&) = delete;
    TokenScope& operator=(const TokenScope&) = delete;

private:
    const CancellationToken* previous_;
};

inline void check_interrupt() {
    const CancellationToken* token = current_token();
    if (token && token->cancelled()) throw interrupted();
}

/// Cheap enough for inner loops: a token check only every 4096 calls.
inline void poll_interrupt(std::uint64_t iteration) {
    if ((iteration & 4095u) == 0) check_interrupt();
}

/// Polls by the amount of work done rather than by the number of calls, for loops whose
/// iterations range from a few operations to millions (a Rips column may enumerate the cofacets
/// of thousands of simplices): `add(units)` checks the token once every `quantum` units, about
/// a fraction of a millisecond of work at the default, so a check costs nothing measurable and Ctrl-C is
/// answered within milliseconds whatever the iteration sizes.
class WorkPoller {
public:
    static constexpr std::uint64_t default_quantum = std::uint64_t{1} << 18;
    explicit WorkPoller(std::uint64_t quantum = default_quantum) : quantum_(quantum) {}

    void add(std::uint64_t units) {
        done_ += units;
        if (done_ >= quantum_) {
            done_ = 0;
            check_interrupt();
        }
    }

private:
    std::uint64_t quantum_;
    std::uint64_t done_ = 0;
};

}  // namespace calydon
