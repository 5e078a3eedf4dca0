"""calydon.vis stays optional: ``import calydon`` (and calydon.diff) never loads matplotlib,
``import calydon.vis`` does not load pyplot, a missing matplotlib gives an ImportError naming the
extra to install, and no function shows a window."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import calydon

# The folder holding the calydon this test imports (an installed copy or a staged checkout), so
# the child processes import that same one.
PYTHON_DIR = str(Path(calydon.__file__).resolve().parents[1])


def run_python(code: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([PYTHON_DIR, os.environ.get("PYTHONPATH", "")]),
    }
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )


def test_import_calydon_does_not_import_matplotlib():
    done = run_python(
        "import sys, calydon, calydon.diff\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib')\n"
        "print(loaded)\n"
        "assert not loaded, loaded\n"
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_import_vis_does_not_import_pyplot():
    done = run_python(
        "import sys, calydon.vis\n"
        "assert 'matplotlib' in sys.modules\n"
        "assert 'matplotlib.pyplot' not in sys.modules\n"
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_missing_matplotlib_says_how_to_install_it():
    done = run_python(
        "import sys\n"
        "sys.modules['matplotlib'] = None  # what an uninstalled package looks like to import\n"
        "import calydon\n"
        "try:\n"
        "    import calydon.vis\n"
        "except ImportError as error:\n"
        "    print(error)\n"
        "else:\n"
        "    raise SystemExit('calydon.vis imported without matplotlib')\n"
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "pip install 'calydon[vis]'" in done.stdout


def test_no_function_shows_a_window(monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import calydon
    from calydon import vis

    def refuse(*args, **kwargs):
        raise AssertionError("plt.show() was called")

    monkeypatch.setattr(plt, "show", refuse)
    monkeypatch.setattr(matplotlib.figure.Figure, "show", refuse)
    dgm = np.array([[0.0, 1.0], [0.2, 0.5], [0.1, np.inf]])
    image = np.random.default_rng(0).random((5, 5))
    fil, pixels = calydon.freudenthal_filtration(image, with_critical_vertices=True)
    axes = [
        vis.plot_diagram(dgm),
        vis.plot_barcode(dgm),
        vis.plot_matching(dgm, dgm[:2]),
        vis.plot_diagram_gradient(dgm, np.ones((3, 2))),
        vis.plot_critical_set([0, 1, 2], image=image, cell_pixels=pixels),
    ]
    assert all(isinstance(ax, matplotlib.axes.Axes) for ax in axes)
    assert len({id(ax.figure) for ax in axes}) == len(axes)  # ax=None: a new figure each
    plt.close("all")


def test_every_public_function_has_a_numpy_docstring():
    pytest.importorskip("matplotlib")
    from calydon import vis

    for name in vis.__all__:
        doc = getattr(vis, name).__doc__
        assert "Parameters\n    ----------" in doc and "Returns\n    -------" in doc, name
