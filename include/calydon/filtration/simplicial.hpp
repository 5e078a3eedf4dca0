// calydon/filtration/simplicial.hpp: a filtration from explicit simplices (vertex lists + values).
#pragma once

#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "calydon/filtration/filtration.hpp"

namespace calydon {

namespace detail {
struct VertexListHash {
    std::size_t operator()(const std::vector<index_t>& v) const noexcept {
        std::uint64_t h = 0x9e3779b97f4a7c15ull;
        for (index_t x : v) h = (h ^ static_cast<std::uint64_t>(x)) * 0x100000001b3ull + (h >> 29);
        return static_cast<std::size_t>(h);
    }
};
}  // namespace detail

/// Builds a simplicial filtration. simplices[i] lists the vertices of input cell i (any order);
/// every face of every simplex must itself be listed. Vertex labels are arbitrary integers.
inline Filtration simplicial_filtration(const std::vector<std::vector<index_t>>& simplices,
                                        const std::vector<value_t>& values, bool negate) {
    const char* api = "Filtration";
    const index_t n = static_cast<index_t>(simplices.size());
    if (static_cast<index_t>(values.size()) != n)
        throw_invalid(api, ": values must have one entry per simplex, got ", values.size(), " for ",
                      n);
    std::unordered_map<std::vector<index_t>, index_t, detail::VertexListHash> id_of;
    id_of.reserve(static_cast<std::size_t>(n) * 2);
    std::vector<std::vector<index_t>> sorted(n);
    for (index_t i = 0; i < n; ++i) {
        sorted[i] = simplices[i];
        std::sort(sorted[i].begin(), sorted[i].end());
        if (sorted[i].empty()) throw_invalid(api, ": simplex ", i, " has no vertices");
        if (std::adjacent_find(sorted[i].begin(), sorted[i].end()) != sorted[i].end())
            throw_invalid(api, ": simplex ", i, " repeats a vertex");
        if (!id_of.emplace(sorted[i], i).second)
            throw_invalid(api, ": simplex ", i, " is listed twice");
    }
    CellList cells;
    cells.values.assign(values.begin(), values.end());
    std::vector<index_t> face, col;
    for (index_t i = 0; i < n; ++i) {
        const auto& s = sorted[i];
        cells.dims.push_back(static_cast<dim_t>(s.size()) - 1);
        col.clear();
        if (s.size() > 1)
            for (std::size_t skip = 0; skip < s.size(); ++skip) {
                face.clear();
                for (std::size_t t = 0; t < s.size(); ++t)
                    if (t != skip) face.push_back(s[t]);
                auto it = id_of.find(face);
                if (it == id_of.end()) throw_invalid(api, ": a face of simplex ", i, " is missing");
                col.push_back(it->second);
            }
        cells.boundary.push_column(col);
    }
    return Filtration(std::move(cells), negate);
}

}  // namespace calydon
