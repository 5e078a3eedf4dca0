"""The scripts in examples/ run to completion (smoke test; their results are checked elsewhere)."""

import pathlib
import subprocess
import sys

import pytest

EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "examples"
QUICK_ARGS = {"01_denoise_image.py": ["--size", "32", "--steps", "10"]}


@pytest.mark.parametrize("script", sorted(p.name for p in EXAMPLES.glob("[0-9]*.py")))
def test_example_runs(script, tmp_path):
    args = QUICK_ARGS.get(script, [])
    if script == "01_denoise_image.py":
        args = args + ["--out", str(tmp_path / "demo.png")]
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / script), *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip(), "an example prints its progress"
