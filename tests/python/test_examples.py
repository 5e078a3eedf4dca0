"""The scripts in examples/ run to completion (smoke test; their results are checked elsewhere).

Every script that takes ``--out`` must write its figure there (its figures, for the scripts of
OUT_IS_FOLDER); the scripts of DONE_LINE end with a ``done after ...`` summary line."""

import pathlib
import subprocess
import sys

import pytest

EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "examples"
QUICK_ARGS = {
    "01_denoise_image.py": ["--size", "32", "--steps", "10"],
    "03_rips_circle.py": ["--steps", "5"],
    "04_alpha_holes.py": ["--steps", "5"],
    "05_match_diagrams.py": ["--steps", "5"],
    "11_classify_shapes.py": ["--steps", "30"],
}
# The scripts that follow the --steps/--out pattern of 01 and 07, summary line included.
DONE_LINE = {
    "01_denoise_image.py",
    "03_rips_circle.py",
    "04_alpha_holes.py",
    "05_match_diagrams.py",
}
# --out names a folder of PNGs (10 makes the figures of docs/vis.md, one file per function).
OUT_IS_FOLDER = {"10_plot_diagrams.py"}


def takes_out(script: str) -> bool:
    return '"--out"' in (EXAMPLES / script).read_text()


@pytest.mark.parametrize("script", sorted(p.name for p in EXAMPLES.glob("[0-9]*.py")))
def test_example_runs(script, tmp_path):
    args = list(QUICK_ARGS.get(script, []))
    figure = tmp_path / ("figures" if script in OUT_IS_FOLDER else "figure.png")
    if takes_out(script):
        args += ["--out", str(figure)]
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / script), *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip(), "an example prints its progress"
    if script in OUT_IS_FOLDER:
        saved = list(figure.glob("*.png"))
        assert saved and all(p.stat().st_size > 0 for p in saved), f"{script} saves its figures"
    elif takes_out(script):
        assert figure.is_file() and figure.stat().st_size > 0, f"{script} saves its figure"
    if script in DONE_LINE:
        last = done.stdout.strip().splitlines()[-1]
        assert last.startswith("done after"), f"{script} ends with a summary line, got {last!r}"
