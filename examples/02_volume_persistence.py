"""Non-differentiable persistence of a 3-D volume: diagrams, index pairs and a decomposition.

Builds the cubical and Freudenthal filtrations of a smooth random 32^3 volume, prints the sizes
of the diagrams, checks that homology and cohomology agree and that R = D V on a small crop.
"""

import numpy as np

import calydon


def main() -> None:
    rng = np.random.default_rng(1)
    noise = rng.standard_normal((32, 32, 32))
    # A cheap smoothing: average over a 3x3x3 neighbourhood (periodic), enough for structure.
    vol = sum(
        np.roll(noise, (i, j, k), axis=(0, 1, 2))
        for i in (-1, 0, 1)
        for j in (-1, 0, 1)
        for k in (-1, 0, 1)
    )

    for values_on in ("vertices", "cells"):
        fil = calydon.cube_filtration(vol, values_on=values_on)
        dgms = calydon.compute_diagrams(fil, include_inf_points=False)
        print(f"cubical ({values_on}): {len(fil)} cells, diagram sizes {[len(d) for d in dgms]}")

    hom = calydon.compute_diagrams_ls(vol, dualize=False)
    coh = calydon.compute_diagrams_ls(vol, dualize=True)
    for dim in range(3):
        a = np.sort(hom[dim], axis=0)
        b = np.sort(coh[dim], axis=0)
        assert np.array_equal(a, b)
    print(f"Freudenthal: homology and cohomology agree, sizes {[len(d) for d in hom]}")

    crop = vol[:5, :5, :5]
    fil = calydon.freudenthal_filtration(crop)
    dcmp = calydon.reduce(fil, clearing=True, compute_v=True)
    print(
        f"5x5x5 crop: {len(fil)} cells, diagram {dcmp.diagram(fil)}, "
        f"{sum(1 for c in dcmp.r_data if c)} nonzero columns of R"
    )
    most = max(hom[1], key=lambda p: p[1] - p[0])
    print(f"most persistent H1 point of the volume: birth {most[0]:.3f}, death {most[1]:.3f}")


if __name__ == "__main__":
    main()
