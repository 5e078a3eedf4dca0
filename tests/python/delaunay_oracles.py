"""Independent references for the Delaunay tests: gudhi's alpha and Delaunay–Čech complexes, a
scipy-Delaunay weak alpha complex, and a brute-force minimum enclosing ball."""

from __future__ import annotations

import itertools

import gudhi
import numpy as np
from scipy.spatial import Delaunay


def gudhi_alpha_values(points: np.ndarray) -> dict[tuple[int, ...], float]:
    st = gudhi.AlphaComplex(points=points, precision="exact").create_simplex_tree()
    return {tuple(sorted(s)): f for s, f in st.get_filtration()}


def gudhi_cech_values(points: np.ndarray) -> dict[tuple[int, ...], float]:
    st = gudhi.DelaunayCechComplex(points=points, precision="exact").create_simplex_tree()
    return {tuple(sorted(s)): f for s, f in st.get_filtration()}


def gudhi_diagrams(simplex_values: dict[tuple[int, ...], float], n_dims: int):
    """(finite, n_essential) per dimension of the filtration given by {simplex: value}."""
    st = gudhi.SimplexTree()
    for s, f in sorted(simplex_values.items(), key=lambda kv: (len(kv[0]), kv[1])):
        st.insert(list(s), filtration=f)
    st.make_filtration_non_decreasing()
    st.persistence(min_persistence=0.0)
    out = []
    for d in range(n_dims):
        iv = np.asarray(st.persistence_intervals_in_dimension(d), dtype=float).reshape(-1, 2)
        out.append((iv[np.isfinite(iv[:, 1])], int(np.sum(~np.isfinite(iv[:, 1])))))
    return out


def scipy_weak_alpha_values(points: np.ndarray) -> dict[tuple[int, ...], float]:
    """Weak alpha on the scipy (Qhull) Delaunay triangulation: every face of every Delaunay
    simplex takes the largest squared edge length among its edges."""
    tri = Delaunay(points)
    values: dict[tuple[int, ...], float] = {(i,): 0.0 for i in range(len(points))}
    for top in tri.simplices:
        top = sorted(int(v) for v in top)
        for k in range(2, len(top) + 1):
            for face in itertools.combinations(top, k):
                if face not in values:
                    values[face] = max(
                        float(np.sum((points[a] - points[b]) ** 2))
                        for a, b in itertools.combinations(face, 2)
                    )
    return values


def brute_force_meb_sq(vertices: np.ndarray) -> float:
    """Squared radius of the minimum enclosing ball: the smallest circumball of a subset that
    encloses every point (the MEB is one of them)."""
    best = np.inf
    n = len(vertices)
    for k in range(1, n + 1):
        for subset in itertools.combinations(range(n), k):
            sub = vertices[list(subset)]
            if k == 1:
                center = sub[0]
            else:
                edges = sub[1:] - sub[0]
                gram = edges @ edges.T
                lam = np.linalg.solve(gram, np.diag(gram) / 2)
                center = sub[0] + lam @ edges
            r_sq = float(np.sum((sub[0] - center) ** 2))
            if np.all(np.sum((vertices - center) ** 2, axis=1) <= r_sq * (1 + 1e-9) + 1e-15):
                best = min(best, r_sq)
    return best


def ours_by_simplex(fil, simplices) -> dict[tuple[int, ...], float]:
    values = fil.values()
    out = {}
    i = 0
    for block in simplices:
        for row in block:
            out[tuple(int(v) for v in row)] = float(values[i])
            i += 1
    return out


def finite_diagram_distance(a: np.ndarray, b: np.ndarray) -> float:
    return gudhi.bottleneck_distance(
        np.asarray(a, float).reshape(-1, 2), np.asarray(b, float).reshape(-1, 2)
    )


# The oracles' own checks, on configurations whose answers are known by hand.


def test_brute_force_meb_of_known_configurations():
    right = np.array([[0.0, 0.0], [2.0, 0.0], [0.0, 2.0]])
    assert abs(brute_force_meb_sq(right) - 2.0) < 1e-12  # hypotenuse's diametral ball
    equilateral = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, np.sqrt(3) / 2]])
    assert abs(brute_force_meb_sq(equilateral) - 1.0 / 3) < 1e-12
    obtuse = np.array([[0.0, 0.0, 0.0], [2.0, 0.0, 0.0], [1.0, 0.1, 0.0], [1.0, 0.0, 0.1]])
    assert abs(brute_force_meb_sq(obtuse) - 1.0) < 1e-12


def test_scipy_weak_alpha_of_a_square():
    square = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
    values = scipy_weak_alpha_values(square)
    assert len(values) == 4 + 5 + 2
    assert sorted(v for s, v in values.items() if len(s) == 3) == [2.0, 2.0]
