"""Check functions: the logic behind rule files.

A check is a small generator registered under a name with a scope: ``container``, ``pod`` and
``object`` checks get ``(subject, params)``; ``bundle`` checks get ``(pod, params, bundle)``
and run after the whole input is read (see :mod:`kprobelint.bundle`). Rule files name the check
and give it parameters, so several rules share one check (the three probe-port rules differ
only in which probe they look at). A check yields :class:`Violation` objects whose ``path`` is
absolute within the document, so the engine can locate the offending key or value.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

SCOPES = ("container", "pod", "object", "bundle")


@dataclass(frozen=True, slots=True)
class Violation:
    path: tuple
    message: str
    on_key: bool = False  # point at the key rather than its value (e.g. a field that must go)
    severity: str | None = None  # overrides the rule's default (e.g. an error under --complete)


@dataclass(frozen=True, slots=True)
class CheckSpec:
    name: str
    scope: str
    func: Callable[..., Iterable[Violation]]
    params: tuple[str, ...]  # accepted parameter names


REGISTRY: dict[str, CheckSpec] = {}


def check(name: str, scope: str, params: tuple[str, ...] = ()) -> Callable:
    """Register ``func(subject, params) -> Iterator[Violation]`` as check ``name``."""
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope}")

    def register(func: Callable[..., Iterator[Violation]]) -> Callable[..., Iterator[Violation]]:
        if name in REGISTRY:
            raise ValueError(f"check {name} registered twice")
        REGISTRY[name] = CheckSpec(name, scope, func, params)
        return func

    return register


def registry() -> dict[str, CheckSpec]:
    """Every check: importing the modules of this package registers them."""
    if not _LOADED:
        import importlib  # noqa: PLC0415
        import pkgutil  # noqa: PLC0415

        for module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
            importlib.import_module(f"{__name__}.{module}")
        _LOADED.append(True)
    return REGISTRY


_LOADED: list[bool] = []


def quoted(value: Any) -> str:
    """A value as it would read in YAML, for messages."""
    if isinstance(value, str):
        return f'"{value}"'
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
