"""Import :mod:`dataclasses` without :mod:`inspect`, which it imports only to write the
docstring of a dataclass that has none (``Name(field: type, ...)``).

inspect (with ast, dis, tokenize, linecache) is most of the cost of importing dataclasses: about
5 ms of CPU of a one-file run, paid on every commit by the pre-commit hook, for nothing, as
every dataclass of kprobelint has a docstring. The package imports this module first: while
dataclasses is imported, ``sys.modules["inspect"]`` is a stand-in module that imports the real
inspect (and hands it every name) on first use. Any later ``import inspect`` gets the real one.
Nothing is done when dataclasses or inspect is already imported (under pytest, for example).
"""
import sys
from types import ModuleType


def _real_inspect_attribute(name: str) -> object:
    import inspect  # noqa: PLC0415 (the stand-in is out of sys.modules by now)

    return getattr(inspect, name)


def import_dataclasses_without_inspect() -> None:
    if "dataclasses" in sys.modules or "inspect" in sys.modules:
        return
    stand_in = ModuleType("inspect", "Imports the real inspect on first use.")
    stand_in.__getattr__ = _real_inspect_attribute  # PEP 562: for names it does not have
    sys.modules["inspect"] = stand_in
    try:
        import dataclasses  # noqa: F401, PLC0415
    finally:
        if sys.modules.get("inspect") is stand_in:
            del sys.modules["inspect"]
