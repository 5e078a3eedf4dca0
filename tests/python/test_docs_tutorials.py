"""The Python code of the tutorials and of the home page runs as written.

Each page's ```python blocks run in order in one namespace, as a reader would paste them, so a
renamed argument or a changed return type breaks this test rather than the documentation."""

import pathlib
import re

import pytest

pytest.importorskip("torch")

DOCS = pathlib.Path(__file__).resolve().parents[2] / "docs"
PAGES = sorted(DOCS.glob("tutorials/*.md")) + [DOCS / "index.md"]
# A fenced block, possibly indented (inside a list item): its indent, then its body.
FENCE = re.compile(r"^([ \t]*)```python[^\n]*\n(.*?)^\1```[ \t]*$", re.MULTILINE | re.DOTALL)


def code_blocks(page: pathlib.Path) -> list[str]:
    blocks = []
    for indent, body in FENCE.findall(page.read_text()):
        lines = body.splitlines()
        blocks.append("\n".join(line[len(indent) :] for line in lines))
    return blocks


def test_the_pages_have_code():
    assert all(code_blocks(p) for p in PAGES)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_tutorial_code_runs(page):
    namespace = {"__name__": f"docs_{page.stem}"}
    for i, block in enumerate(code_blocks(page)):
        code = compile(block, f"{page.relative_to(DOCS)} block {i}", "exec")
        exec(code, namespace)
