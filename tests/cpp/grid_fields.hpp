// Fields on grids for the tests of the grid passes: noise, ties, smooth fields, plateaus, short
// waves and ramps, in any number of axes.
#pragma once

#include <cmath>
#include <cstddef>
#include <random>
#include <vector>

#include "calydon/core/types.hpp"

namespace calydon::test {

/// 0: noise; 1: three values (ties and plateaus); 2: a smooth field (few, large basins);
/// 3: a constant (one plateau: every vertex but the first has a lower neighbour by index);
/// 4: waves of period about 8 (many small basins, still smooth); 5 and 6: ramps down and up
/// in input order (one basin, descent paths through the whole grid).
inline std::vector<value_t> grid_field(const std::vector<index_t>& shape, int kind, unsigned seed) {
    std::mt19937 gen(seed);
    std::uniform_real_distribution<value_t> uniform(-1.0, 1.0);
    std::size_t n = 1;
    for (index_t s : shape) n *= static_cast<std::size_t>(s);
    std::vector<value_t> x(n);
    std::vector<value_t> freq(shape.size());
    for (auto& f : freq)
        f = (kind == 4 ? 0.7 : 0.2) + (kind == 4 ? 0.1 : 0.6) * std::abs(uniform(gen));
    for (std::size_t i = 0; i < n; ++i) {
        if (kind == 0) x[i] = uniform(gen);
        else if (kind == 1) x[i] = static_cast<value_t>(gen() % 3);
        else if (kind == 3) x[i] = 1.5;
        else if (kind == 5 || kind == 6) x[i] = (kind == 5 ? -1.0 : 1.0) * static_cast<value_t>(i);
        else {
            value_t v = 0.05 * uniform(gen);
            std::size_t rest = i;
            for (int a = static_cast<int>(shape.size()) - 1; a >= 0; --a) {
                v += std::sin(freq[a] * static_cast<value_t>(rest % shape[a]) + a);
                rest /= static_cast<std::size_t>(shape[a]);
            }
            x[i] = v;
        }
    }
    return x;
}

}  // namespace calydon::test
