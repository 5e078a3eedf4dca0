"""The five calydon.diff vectorisations with explicit ranges (so a batch is allowed), shared by
the vectorize tests: name -> callable(diagrams, mask) -> tensor."""

import calydon.diff as diff

RANGE = (-0.6, 2.4)


def _persistence(rows):
    return rows[..., 1] - rows[..., 0]


CASES = {
    "image": lambda d, m=None, **kw: diff.persistence_image(
        d, m, bandwidth=0.3, resolution=(6, 5), im_range=[-0.6, 1.6, 0.0, 2.2], **kw
    ),
    "image_weighted": lambda d, m=None, **kw: diff.persistence_image(
        d,
        m,
        bandwidth=0.4,
        resolution=(5, 4),
        im_range=[-0.6, 1.6, 0.0, 2.2],
        weight=lambda bp: bp[..., 1] ** 2,
        **kw,
    ),
    "landscape": lambda d, m=None, **kw: diff.persistence_landscape(
        d, m, num_landscapes=3, resolution=17, sample_range=RANGE, **kw
    ),
    "betti": lambda d, m=None, **kw: diff.betti_curve(
        d, m, resolution=17, sample_range=RANGE, **kw
    ),
    "betti_smooth": lambda d, m=None, **kw: diff.betti_curve(
        d, m, resolution=17, sample_range=RANGE, temperature=0.05, **kw
    ),
    "silhouette": lambda d, m=None, **kw: diff.silhouette(
        d, m, resolution=17, sample_range=RANGE, weight=lambda bd: _persistence(bd) ** 2, **kw
    ),
    "entropy": lambda d, m=None, **kw: diff.persistent_entropy(d, m, **kw),
    "entropy_vector": lambda d, m=None, **kw: diff.persistent_entropy(
        d, m, mode="vector", resolution=17, sample_range=RANGE, normalized=False, **kw
    ),
    "entropy_vector_smooth": lambda d, m=None, **kw: diff.persistent_entropy(
        d, m, mode="vector", resolution=17, sample_range=RANGE, temperature=0.05, **kw
    ),
}

# the cases whose value depends smoothly on the points (gradcheck applies)
DIFFERENTIABLE = [name for name in CASES if name != "betti"]
