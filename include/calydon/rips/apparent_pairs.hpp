// calydon/rips/apparent_pairs.hpp: zero-persistence apparent pairs of a Rips filtration.
//
// (sigma, tau) is an apparent pair when tau is the earliest cofacet of sigma and sigma the latest
// facet of tau; the implicit cohomology only needs those at equal diameters (zero persistence),
// whose members are never columns and whose cofacet is resolved on the fly when it shows up as a
// pivot. The tests read only the distances, so one probe per thread answers them concurrently.
#pragma once

#include <span>
#include <vector>

#include "calydon/rips/cofacets.hpp"

namespace calydon {

inline constexpr DiamIndex no_simplex{0.0, no_index};

template <class Distances>
class ApparentPairs {
public:
    ApparentPairs(const Distances& dist, const BinomialTable& binom, value_t threshold)
        : dist_(&dist), binom_(&binom), probe_(dist, binom, threshold) {}

    /// The cofacet tau making (simplex, tau) a zero-persistence apparent pair, or no_simplex.
    DiamIndex zero_apparent_cofacet(DiamIndex simplex, dim_t dim) {
        simplex_vertices(simplex.index, dim, *binom_, vertices_);
        return zero_apparent_cofacet(simplex, vertices_);
    }
    /// The same for a simplex whose vertices (decreasing) are known.
    DiamIndex zero_apparent_cofacet(DiamIndex simplex, std::span<const index_t> vertices) {
        const auto dim = static_cast<dim_t>(vertices.size()) - 1;
        const DiamIndex c = first_equal_cofacet(simplex, vertices);
        if (c.index == no_index) return no_simplex;
        probe_.cofacet_vertices(cofacet_);
        return first_equal_facet(c, dim + 1, cofacet_).index == simplex.index ? c : no_simplex;
    }
    /// The facet sigma making (sigma, simplex) a zero-persistence apparent pair, or no_simplex;
    /// facet_vertices() then holds sigma's vertices.
    DiamIndex zero_apparent_facet(DiamIndex simplex, dim_t dim) {
        simplex_vertices(simplex.index, dim, *binom_, vertices_);
        return zero_apparent_facet(simplex, vertices_);
    }
    /// The same for a simplex whose vertices (decreasing) are known; they must not be those of
    /// facet_vertices(), which this overwrites.
    DiamIndex zero_apparent_facet(DiamIndex simplex, std::span<const index_t> vertices) {
        const auto dim = static_cast<dim_t>(vertices.size()) - 1;
        const DiamIndex f = first_equal_facet(simplex, dim, vertices);
        if (f.index == no_index) return no_simplex;
        return first_equal_cofacet(f, facet_).index == simplex.index ? f : no_simplex;
    }
    /// The vertices (decreasing) of the facet the last zero_apparent_facet found.
    std::span<const index_t> facet_vertices() const { return facet_; }

private:
    /// Earliest cofacet if it has the simplex's diameter (cofacets come in decreasing index).
    DiamIndex first_equal_cofacet(DiamIndex simplex, std::span<const index_t> vertices) {
        probe_.set_simplex(simplex, vertices);
        DiamIndex c;
        while (probe_.next(c))
            if (c.diameter == simplex.diameter) return c;
        return no_simplex;
    }

    /// Latest facet if it has the simplex's diameter: facets by increasing index, i.e. removing
    /// the largest vertex first. On success facet_ holds its vertices.
    DiamIndex first_equal_facet(DiamIndex simplex, dim_t dim, std::span<const index_t> vertices) {
        const BinomialTable& binom = *binom_;
        index_t below = simplex.index, above = 0;
        for (dim_t r = 0; r <= dim; ++r) {
            const index_t removed = vertices[r];
            below -= binom(removed, dim + 1 - r);
            facet_.clear();
            for (dim_t i = 0; i <= dim; ++i)
                if (i != r) facet_.push_back(vertices[i]);
            if (diameter_of(facet_, *dist_) == simplex.diameter)
                return {simplex.diameter, above + below};
            above += binom(removed, dim - r);
        }
        return no_simplex;
    }

    const Distances* dist_;
    const BinomialTable* binom_;
    Cofacets<Distances> probe_;
    std::vector<index_t> vertices_, facet_, cofacet_;
};

}  // namespace calydon
