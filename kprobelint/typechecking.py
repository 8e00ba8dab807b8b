"""``TYPE_CHECKING`` without importing typing, whose import costs a one-file run 3 ms.

Every module has ``from __future__ import annotations``, so annotations are never evaluated
at run time and the names they use (``Any``...) are needed only by type checkers, which treat
a constant called ``TYPE_CHECKING`` as true wherever it comes from (mypy, pyright). The
modules a lint imports therefore write::

    from .typechecking import TYPE_CHECKING

    if TYPE_CHECKING:
        from typing import Any

and take ``Iterator``, ``Callable`` and the like from ``collections.abc``. A test checks that
a plain run does not import typing.
"""

TYPE_CHECKING = False
