// calydon/core/errors.hpp: helpers that build the "<api>: <argument> must be ..., got ..." messages.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

namespace calydon {

template <class... Parts>
std::string format_message(Parts&&... parts) {
    std::ostringstream out;
    (out << ... << std::forward<Parts>(parts));
    return out.str();
}

template <class... Parts>
[[noreturn]] void throw_invalid(Parts&&... parts) {
    throw std::invalid_argument(format_message(std::forward<Parts>(parts)...));
}

}  // namespace calydon
