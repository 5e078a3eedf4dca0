// calydon/grid/cells.hpp: a regular grid of vertices (C order) with 0/1 offsets as bit masks.
#pragma once

#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include "calydon/core/errors.hpp"
#include "calydon/core/interrupt.hpp"
#include "calydon/core/types.hpp"

namespace calydon {

/// Bit i of an offset mask means "+1 along axis i".
using offset_mask = std::uint32_t;

class Grid {
public:
    static constexpr int max_ndim = 4;

    explicit Grid(std::span<const index_t> shape) : shape_(shape.begin(), shape.end()) {
        if (shape_.empty() || static_cast<int>(shape_.size()) > max_ndim)
            throw_invalid("data must have 1 to 4 dimensions, got ", shape_.size());
        strides_.assign(shape_.size(), 1);
        for (int i = ndim() - 2; i >= 0; --i) strides_[i] = strides_[i + 1] * shape_[i + 1];
        n_vertices_ = 1;
        for (index_t s : shape_) {
            if (s <= 0) throw_invalid("data must not be empty, got an axis of length ", s);
            n_vertices_ *= s;
        }
        offset_of_mask_.resize(std::size_t{1} << ndim());
        for (offset_mask m = 0; m < offset_of_mask_.size(); ++m) {
            index_t off = 0;
            for (int i = 0; i < ndim(); ++i)
                if (m & (1u << i)) off += strides_[i];
            offset_of_mask_[m] = off;
        }
    }

    int ndim() const { return static_cast<int>(shape_.size()); }
    index_t n_vertices() const { return n_vertices_; }
    const std::vector<index_t>& shape() const { return shape_; }
    offset_mask full_mask() const { return (1u << ndim()) - 1; }

    /// Flat-index displacement of an offset mask.
    index_t offset(offset_mask m) const { return offset_of_mask_[m]; }

    /// Axes along which vertex v can step +1 (resp. -1) and stay in the grid.
    offset_mask room_up(index_t v) const {
        offset_mask r = 0;
        for (int i = 0; i < ndim(); ++i)
            if ((v / strides_[i]) % shape_[i] + 1 < shape_[i]) r |= 1u << i;
        return r;
    }
    offset_mask room_down(index_t v) const {
        offset_mask r = 0;
        for (int i = 0; i < ndim(); ++i)
            if ((v / strides_[i]) % shape_[i] > 0) r |= 1u << i;
        return r;
    }
    index_t stride(int axis) const { return strides_[axis]; }

private:
    std::vector<index_t> shape_, strides_;
    std::vector<index_t> offset_of_mask_;
    index_t n_vertices_ = 0;
};

/// The checks every grid builder starts with: the data fills the grid, is finite, and the
/// requested top dimension is not negative.
inline void require_grid_input(std::span<const value_t> data, const Grid& data_grid, int max_dim) {
    if (static_cast<index_t>(data.size()) != data_grid.n_vertices())
        throw_invalid("data has ", data.size(), " entries, shape needs ", data_grid.n_vertices());
    for (std::size_t i = 0; i < data.size(); ++i)
        if (!std::isfinite(data[i]))
            throw_invalid("data must be finite, got ", data[i], " at flat index ", i);
    if (max_dim < 0) throw_invalid("max_dim must be >= 0, got ", max_dim);
}

}  // namespace calydon
