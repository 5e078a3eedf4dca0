"""Every public function, class and method of calydon has a NumPy-style docstring.

The public API is the ``__all__`` of ``calydon`` and ``calydon.diff``, and of each public module
that defines one; a module without ``__all__`` exports the names of the two package lists that
it defines (or, if none, every public function and class it defines). A function or method needs a docstring with a ``Parameters`` section naming every
argument (when it takes any) and a ``Returns`` (or ``Yields``) section (unless it returns None);
a class needs a docstring with a ``Parameters`` or ``Attributes`` section when its constructor
takes arguments; a property needs a docstring. mkdocstrings does not fail on a missing docstring
by itself, so this is what makes ``make docs-check`` (and ``make test``) fail on one. Each public
module also has an API page under docs/api/ that lists all of its public names.
"""

from __future__ import annotations

import enum
import importlib
import inspect
import pathlib
import re

import pytest

pytest.importorskip("torch")  # calydon.diff is part of the public API

ROOT = pathlib.Path(__file__).resolve().parents[2]

# module -> its API page under docs/api/
PUBLIC_MODULES = {
    "calydon": "calydon.md",
    "calydon.diff": "diff.md",
    "calydon.grid": "grid.md",
    "calydon.rips": "rips.md",
    "calydon.delaunay": "delaunay.md",
    "calydon.distance": "distance.md",
    "calydon.persistence": "persistence.md",
    "calydon.optimize": "optimize.md",
    "calydon.batch": "batch.md",
    "calydon.diagrams": "diagrams.md",
    "calydon.diff.vectorize": "vectorize.md",
    "calydon.vis": "vis.md",  # needs matplotlib (scripts/requirements-dev.txt)
    "calydon.nn": "nn.md",
}

# Compiled classes: their docstrings live in bindings/*.cpp (nanobind), not in Python.
COMPILED_MODULE = "calydon._core"

SECTION = re.compile(r"^[ \t]*([A-Z][A-Za-z ]+)\n[ \t]*(-{3,})[ \t]*$", re.MULTILINE)


def sections(doc: str) -> dict[str, str]:
    """NumPy sections of a docstring: {title: body}."""
    doc = inspect.cleandoc(doc)
    found = [m for m in SECTION.finditer(doc) if len(m.group(2)) == len(m.group(1).strip())]
    out = {}
    for i, m in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(doc)
        out[m.group(1).strip()] = doc[m.end() : end]
    return out


def documented_names(body: str) -> set[str]:
    """Names of the entries of a Parameters section: unindented ``a, b : type`` or ``a`` lines."""
    names = set()
    for line in body.splitlines():
        if line.strip() and not line[0].isspace():
            head = line.split(" : ", 1)[0]
            names.update(n.strip() for n in head.split(",") if n.strip())
    return names


def is_public_member(name: str) -> bool:
    return not name.startswith("_")


def public_api() -> dict[str, object]:
    """{qualified name: object} over the public modules (the ones that can be imported)."""
    import calydon.diff

    packages = {"calydon": calydon, "calydon.diff": calydon.diff}
    exported = {n: getattr(calydon, n) for n in calydon.__all__}
    exported.update({n: getattr(calydon.diff, n) for n in calydon.diff.__all__})
    api = {}
    for module_name in PUBLIC_MODULES:
        module = packages.get(module_name) or importlib.import_module(module_name)
        names = getattr(module, "__all__", None)
        if names is None:
            names = [
                n for n, obj in exported.items() if getattr(obj, "__module__", None) == module_name
            ] or defined_in(module)
        for name in names:
            api[f"{module_name}.{name}"] = getattr(module, name)
    return api


def defined_in(module) -> list[str]:
    """Public functions and classes defined in a module (or its submodules)."""
    return [
        n
        for n, obj in vars(module).items()
        if is_public_member(n)
        and (inspect.isfunction(obj) or inspect.isclass(obj))
        and getattr(obj, "__module__", "").startswith(module.__name__)
    ]


def arguments(func) -> list[str]:
    """Documented arguments of a function or method: all but self/cls, with * and ** marks."""
    out = []
    for i, p in enumerate(inspect.signature(func).parameters.values()):
        if i == 0 and p.name in ("self", "cls"):
            continue
        prefix = {p.VAR_POSITIONAL: "*", p.VAR_KEYWORD: "**"}.get(p.kind, "")
        out.append(prefix + p.name)
    return out


def returns_none(func) -> bool:
    annotation = inspect.signature(func).return_annotation
    return annotation is None or annotation == "None"


def function_problems(name: str, func) -> list[str]:
    doc = inspect.getdoc(func)
    if not doc:
        return [f"{name}: no docstring"]
    found = sections(doc)
    problems = []
    args = arguments(func)
    if args:
        if "Parameters" not in found:
            problems.append(f"{name}: no Parameters section (arguments {args})")
        else:
            missing = [a for a in args if a not in documented_names(found["Parameters"])]
            if missing:
                problems.append(f"{name}: Parameters does not document {missing}")
    if not returns_none(func) and not ({"Returns", "Yields"} & found.keys()):
        problems.append(f"{name}: no Returns section")
    return problems


def constructor_takes_arguments(cls) -> bool:
    if issubclass(cls, enum.Enum):
        return False
    try:
        return bool(inspect.signature(cls).parameters)
    except (TypeError, ValueError):
        return False


def class_problems(name: str, cls) -> list[str]:
    if cls.__module__ == COMPILED_MODULE:
        return []
    doc = inspect.getdoc(cls) if "__doc__" in vars(cls) and cls.__doc__ else None
    if not doc:
        return [f"{name}: no class docstring"]
    problems = []
    if constructor_takes_arguments(cls) and not (
        {"Parameters", "Attributes"} & sections(doc).keys()
    ):
        problems.append(f"{name}: no Parameters (or Attributes) section for the constructor")
    for member_name, member in vars(cls).items():
        if not is_public_member(member_name) or issubclass(cls, enum.Enum) and not callable(member):
            continue
        qualified = f"{name}.{member_name}"
        if isinstance(member, property):
            if not (member.__doc__ or "").strip():
                problems.append(f"{qualified}: property without a docstring")
        elif isinstance(member, (staticmethod, classmethod)):
            problems += function_problems(qualified, member.__func__)
        elif inspect.isfunction(member):
            problems += function_problems(qualified, member)
    return problems


def object_problems(name: str, obj) -> list[str]:
    if inspect.isclass(obj):
        return class_problems(name, obj)
    if callable(obj):
        return function_problems(name, obj)
    return []


def canonical(api: dict[str, object]) -> dict[str, object]:
    """One entry per object (a name re-exported by several modules is checked once), under the
    name of the module that defines it."""
    out = {}
    for obj in {id(o): o for o in api.values()}.values():
        out[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return out


API = public_api()
OBJECTS = canonical(API)


@pytest.mark.parametrize("name", sorted(OBJECTS))
def test_public_object_has_a_numpy_docstring(name):
    assert object_problems(name, OBJECTS[name]) == []


@pytest.mark.parametrize("module, page", sorted(PUBLIC_MODULES.items()))
def test_every_public_name_is_on_its_api_page(module, page):
    path = ROOT / "docs" / "api" / page
    assert path.is_file(), f"{module} has no API page {path}"
    text = path.read_text()
    assert f"::: {module}" in text
    if not re.search(r"^\s*members:", text, re.MULTILINE):  # the whole module is rendered
        return
    names = [n.rsplit(".", 1)[1] for n in API if n.rsplit(".", 1)[0] == module]
    assert [n for n in names if n not in text] == []
