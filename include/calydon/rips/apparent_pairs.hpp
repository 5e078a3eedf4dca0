// calydon/rips/apparent_pairs.hpp: zero-persistence apparent pairs of a Rips filtration.
//
// (sigma, tau) is an apparent pair when tau is the earliest cofacet of sigma and sigma the latest
// facet of tau; the implicit cohomology only needs those at equal diameters (zero persistence),
// whose members are never columns and whose cofacet is resolved on the fly when it shows up as a
// pivot. The tests read only the distances, so one probe per thread answers them concurrently.
#pragma once

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
        const DiamIndex c = first_equal_cofacet(simplex, dim);
        if (c.index != no_index && first_equal_facet(c, dim + 1).index == simplex.index) return c;
        return no_simplex;
    }
    /// The facet sigma making (sigma, simplex) a zero-persistence apparent pair, or no_simplex.
    DiamIndex zero_apparent_facet(DiamIndex simplex, dim_t dim) {
        const DiamIndex f = first_equal_facet(simplex, dim);
        if (f.index != no_index && first_equal_cofacet(f, dim - 1).index == simplex.index) return f;
        return no_simplex;
    }

private:
    /// Earliest cofacet if it has the simplex's diameter (cofacets come in decreasing index).
    DiamIndex first_equal_cofacet(DiamIndex simplex, dim_t dim) {
        probe_.set_simplex(simplex, dim);
        DiamIndex c;
        while (probe_.next(c))
            if (c.diameter == simplex.diameter) return c;
        return no_simplex;
    }

    /// Latest facet if it has the simplex's diameter: facets by increasing index, i.e. removing
    /// the largest vertex first.
    DiamIndex first_equal_facet(DiamIndex simplex, dim_t dim) {
        const BinomialTable& binom = *binom_;
        simplex_vertices(simplex.index, dim, binom, vertices_);
        index_t below = simplex.index, above = 0;
        for (dim_t r = 0; r <= dim; ++r) {
            const index_t removed = vertices_[r];
            below -= binom(removed, dim + 1 - r);
            facet_.clear();
            for (dim_t i = 0; i <= dim; ++i)
                if (i != r) facet_.push_back(vertices_[i]);
            if (diameter_of(facet_, *dist_) == simplex.diameter)
                return {simplex.diameter, above + below};
            above += binom(removed, dim - r);
        }
        return no_simplex;
    }

    const Distances* dist_;
    const BinomialTable* binom_;
    Cofacets<Distances> probe_;
    std::vector<index_t> vertices_, facet_;
};

}  // namespace calydon
