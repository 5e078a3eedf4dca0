"""The docstring check of test_docs_docstrings.py, on functions with known problems."""

import pytest

pytest.importorskip("torch")

from test_docs_docstrings import class_problems, function_problems  # noqa: E402


def test_the_checker_catches_bad_docstrings():

    def no_doc(a):
        return a

    def google(a, b=1):
        """Sum.

        Args:
            a: x.
            b: y.

        Returns:
            the sum.
        """
        return a + b

    def partial(a, b=1):
        """Sum.

        Parameters
        ----------
        a : int
            x.

        Returns
        -------
        int
        """
        return a + b

    def good(a, b=1, *rest, **options) -> int:
        """Sum.

        Parameters
        ----------
        a, b : int
            The terms.
        *rest : int
            More terms.
        **options
            Ignored.

        Returns
        -------
        int
            The sum.
        """
        return a + b

    def silent() -> None:
        """Does nothing."""

    assert function_problems("no_doc", no_doc) == ["no_doc: no docstring"]
    assert len(function_problems("google", google)) == 2
    assert function_problems("partial", partial) == ["partial: Parameters does not document ['b']"]
    assert function_problems("good", good) == []
    assert function_problems("silent", silent) == []

    class Bare:
        def __init__(self, x):
            self.x = x

        def method(self):
            return self.x

    assert class_problems("Bare", Bare) == ["Bare: no class docstring"]
