"""Shared helpers for the Python test suite (generic: no autouse fixtures, nothing slow).

* ``sort_dgm`` / ``assert_dgm_equal`` / ``assert_dgms_equal``: diagrams compared as multisets of
  rows (lexsorted by birth, then death), with tolerance, infinities compared by sign.
* ``as_numpy_dgm``: numpy float64 (n, 2) view of a numpy array, list, or (detached) torch tensor.
* ``drop_zero_length``: removes rows with birth == death.
* ``gudhi_to_dgms``: turns a gudhi ``persistence()`` list into ``{dim: (n, 2) array}``.
* A hypothesis profile "calydon" (modest ``max_examples``, no deadline) loaded by default;
  ``HYPOTHESIS_PROFILE=thorough`` selects a bigger one, ``HYPOTHESIS_PROFILE=fuzz`` (``make
  fuzz``) 10,000 examples per test for the ``test_fuzz_*`` suites.
* ``result_or_named_error``: the contract of the fuzz suites, a result or a ValueError /
  TypeError whose message names the public function and the argument.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Iterable, Mapping

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))  # so tests can `import reference`

try:
    from hypothesis import HealthCheck, settings

    settings.register_profile(
        "calydon",
        max_examples=20,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        derandomize=True,
    )
    settings.register_profile(
        "thorough",
        max_examples=300,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    settings.register_profile(
        "fuzz",
        max_examples=10_000,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "calydon"))
except ImportError:  # hypothesis is a test dependency; tests that need it will fail loudly
    pass


def as_numpy_dgm(dgm) -> np.ndarray:
    """float64 array of shape (n, 2) from a numpy array, a list of pairs or a torch tensor."""
    if hasattr(dgm, "detach"):
        dgm = dgm.detach().cpu().double().numpy()
    return np.asarray(dgm, dtype=np.float64).reshape(-1, 2)


def sort_dgm(dgm) -> np.ndarray:
    """Rows lexsorted by (birth, death); infinities sort last (or first for -inf)."""
    a = as_numpy_dgm(dgm)
    return a[np.lexsort((a[:, 1], a[:, 0]))]


def drop_zero_length(dgm) -> np.ndarray:
    a = as_numpy_dgm(dgm)
    return a[a[:, 0] != a[:, 1]]


def finite_rows(dgm) -> np.ndarray:
    a = as_numpy_dgm(dgm)
    return a[np.isfinite(a[:, 1])]


def essential_rows(dgm) -> np.ndarray:
    a = as_numpy_dgm(dgm)
    return a[~np.isfinite(a[:, 1])]


def assert_dgm_equal(
    actual, expected, atol: float = 1e-12, rtol: float = 1e-12, msg: str = ""
) -> None:
    """Same multiset of (birth, death) rows up to tolerance; infinities must match in sign."""
    a, e = sort_dgm(actual), sort_dgm(expected)
    assert a.shape == e.shape, (
        f"{msg}: {len(a)} points vs {len(e)} expected\nactual={a}\nexpected={e}"
    )
    np.testing.assert_allclose(a, e, atol=atol, rtol=rtol, err_msg=msg)


def assert_dgms_equal(
    actual: Mapping[int, object] | Iterable,
    expected: Mapping[int, object],
    dims: Iterable[int],
    atol: float = 1e-12,
    rtol: float = 1e-12,
    msg: str = "",
) -> None:
    """``actual[d]`` equals ``expected[d]`` (a missing expected dim means empty) for each d in dims."""
    for d in dims:
        exp = expected.get(d, np.empty((0, 2))) if isinstance(expected, Mapping) else expected[d]
        assert_dgm_equal(actual[d], exp, atol=atol, rtol=rtol, msg=f"{msg} dim {d}")


def gudhi_to_dgms(
    persistence, n_dims: int, negate: bool = False, keep_zero: bool = False
) -> dict[int, np.ndarray]:
    """gudhi ``persistence()`` output -> {dim: (n, 2)} for dims 0..n_dims-1.

    With ``negate=True`` the complex was built on negated values: births and deaths are negated
    back (so +inf becomes -inf). Zero-length intervals are dropped unless ``keep_zero``.
    """
    out: dict[int, list] = {d: [] for d in range(n_dims)}
    for dim, (b, d) in persistence:
        if dim >= n_dims:
            assert b == d, f"gudhi reports a nontrivial interval in dim {dim} >= {n_dims}"
            continue
        out[dim].append((-b, -d) if negate else (b, d))
    res = {d: np.array(p, dtype=np.float64).reshape(-1, 2) for d, p in out.items()}
    return res if keep_zero else {d: drop_zero_length(a) for d, a in res.items()}


def gudhi_cubical_dgms(
    data: np.ndarray,
    negate: bool = False,
    values_on: str = "vertices",
    wrap: bool = False,
    n_dims: int | None = None,
) -> dict[int, np.ndarray]:
    """gudhi diagrams of the cubical complex of ``data`` (values on vertices or on top cells, on
    a torus with ``wrap``), dims 0..n_dims-1 (default: every dimension). ``negate`` runs gudhi on
    -data and maps the values back."""
    import gudhi

    arr = -data if negate else data
    key = "vertices" if values_on == "vertices" else "top_dimensional_cells"
    if wrap:
        cc = gudhi.PeriodicCubicalComplex(**{key: arr}, periodic_dimensions=[True] * data.ndim)
    else:
        cc = gudhi.CubicalComplex(**{key: arr})
    pers = cc.persistence(homology_coeff_field=2, min_persistence=-1)
    return gudhi_to_dgms(pers, data.ndim + 1 if n_dims is None else n_dims, negate=negate)


def result_or_named_error(call, api: str, names: Iterable[str], valid: bool | None = None):
    """Runs ``call()``: returns its result, or None when it raised a ValueError / TypeError whose
    message starts with ``api:`` and names one of ``names``. Any other exception fails.

    ``valid=True`` demands a result (a valid input must not be refused), ``valid=False`` an
    error (an invalid input must not be accepted); None accepts either.
    """
    try:
        result = call()
    except (ValueError, TypeError) as err:
        message = str(err)
        assert message.startswith(f"{api}:"), f"error does not name {api}: {message}"
        assert any(n in message for n in names), f"error names none of {list(names)}: {message}"
        assert valid is not True, f"a valid input was refused: {message}"
        return None
    assert valid is not False, f"{api} accepted an invalid input"
    return result


def seed_of(*parts) -> int:
    """A deterministic RNG seed from test parameters (``hash`` of strings varies per process)."""
    import zlib

    return zlib.crc32(repr(parts).encode())
