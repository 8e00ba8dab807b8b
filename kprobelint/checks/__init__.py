"""Check functions: the logic behind rule files.

A check is a small generator registered under a name with a scope: ``container``, ``pod`` and
``object`` checks get ``(subject, params)`` and yield :class:`Violation` objects. ``bundle``
checks also get ``(pod, params)``, while the pod's document is loaded, but their verdict needs
the whole input (see :mod:`kprobelint.bundle`): they yield :class:`Pending` objects whose
``decide(bundle)`` is called once every file is read; ``object-bundle`` checks do the same with
``(object, params)`` (a Service's verdict needs the Pods of the whole input). ``schema``
checks get the object's schema issues (see :mod:`kprobelint.checks.schema`) after every
other rule ran on it. Rule files name the check and give it
parameters, so several rules share one check (the three probe-port rules differ only in which
probe they look at). A violation's ``path`` is absolute within the document, so the engine can
locate the offending key or value.

The check modules are named after the rule areas of ``rules/`` (``images``, ``lifecycle``,
``restart``, ``scheduling``, and the packages ``probes`` and ``references`` for the larger
areas); what several areas share lives in :mod:`kprobelint.checks.helpers` only.
"""
from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Iterable, Iterator
from ..findings import Fix
from ..records import FrozenRecord, set_field
from ..typechecking import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any
from ..i18n import Items, Message, Templates

SCOPES = ("container", "pod", "object", "bundle", "object-bundle", "schema")
# The statuses of a value the API server cannot decode into its field's type: the request
# is refused whole, whatever kind holds the pod spec and whenever that kind validates it.
UNDECODABLE = ("Rejected",)


class Violation(FrozenRecord):
    """What a check found at ``path`` of the object, before it becomes a :class:`Finding`."""

    __slots__ = ("path", "message", "on_key", "severity", "fix", "certainty", "condition",
                 "statuses")
    path: tuple
    message: Message | str  # a template and its parameters (text only where not yet one)
    on_key: bool  # point at the key rather than its value (e.g. a field that must go)
    severity: str | None  # overrides the rule's default (e.g. an error under --complete)
    fix: Fix | None  # a mechanical correction, carried to the Finding
    # Overrides the rule's certainty: a conditional rule's prediction is certain where the
    # condition is known to hold (--complete says nothing outside the input creates the
    # object); a certain rule's may hang on a condition in one case, given in ``condition``.
    certainty: str | None
    condition: str | None
    # Overrides the rule's statuses where the check knows which one follows here: a refusal
    # that is the object's own (a value the API server cannot decode, a field the workload
    # itself validates) stays Rejected in a pod template validated only when Pods are made.
    # None lets the engine pick them by where the pod spec is validated (Engine._located).
    statuses: tuple[str, ...] | None

    def __init__(self, path: tuple, message: Message | str, on_key: bool = False,
                 severity: str | None = None, fix: Fix | None = None, certainty: str | None = None,
                 condition: str | None = None, statuses: tuple[str, ...] | None = None) -> None:
        set_field(self, "path", path)
        set_field(self, "message", message)
        set_field(self, "on_key", on_key)
        set_field(self, "severity", severity)
        set_field(self, "fix", fix)
        set_field(self, "certainty", certainty)
        set_field(self, "condition", condition)
        set_field(self, "statuses", statuses)


class Verdict(namedtuple("Verdict", ("message", "severity", "certainty", "condition", "statuses"),
                         defaults=(None, None, None, None))):
    """What a :class:`Pending` violation turns out to be once the whole input is known.

    ``message``; ``severity``, ``certainty``, ``condition`` and ``statuses`` (None: the
    rule's) as in :class:`Violation`. A namedtuple as typing.NamedTuple makes one, without
    importing typing (:mod:`kprobelint.typechecking`)."""

    __slots__ = ()

    @classmethod
    def complete(cls, message: str) -> "Verdict":
        """A verdict on something absent from an input that ``--complete`` declares to be the
        whole application: it surely is absent, so the prediction is certain, an error."""
        return cls(message, "error", "certain")


class Pending(FrozenRecord):
    """A violation at ``path`` whose verdict waits for the whole input.

    The engine locates ``path`` at once and drops the document; after the last file it calls
    ``decide(bundle)``, which returns a :class:`Verdict` or None (no violation after all).
    ``decide`` outlives the document, so it must hold only small plain values (strings,
    numbers, tuples, plain dicts): never a YAML mapping or sequence, a node, an object, a pod
    or a container, which would keep the whole document alive. Build it with
    :func:`functools.partial` over a module-level function: a closure made in a loop would
    see the loop's last values.
    """

    __slots__ = ("path", "decide", "on_key", "unless")
    path: tuple
    decide: Callable[[Any], Verdict | None]
    on_key: bool
    # What makes the verdict None whatever else the input declares, as Bundle.declares takes
    # it: ("ConfigMap" | "Secret", namespace, name[, key]) or ("PersistentVolumeClaim",
    # namespace, name). Once the input read so far declares it (the index only grows), the
    # engine forgets the violation at once instead of keeping it to the end.
    unless: tuple | None

    def __init__(self, path: tuple, decide: Callable[[Any], Verdict | None],
                 on_key: bool = False, unless: tuple | None = None) -> None:
        set_field(self, "path", path)
        set_field(self, "decide", decide)
        set_field(self, "on_key", on_key)
        set_field(self, "unless", unless)


class Param(FrozenRecord):
    """A parameter of a check, as rule files give it and users may override it.

    ``option`` parameters are the rule's user-facing thresholds (``params:`` in the
    configuration, listed by ``explain``); the others wire a shared check to one rule (which
    probe, which consequence to name) and only rule files set them.
    """

    __slots__ = ("type", "doc", "option", "prose")
    type: type | tuple[type, ...]
    doc: str
    option: bool
    # Text a person reads, written in the rule file (a ``consequence``, a ``reason``): the
    # engine hands it to the check as a RuleText, shown in the rule's translation.
    prose: bool

    def __init__(self, type: type | tuple[type, ...], doc: str = "", option: bool = False,
                 prose: bool = False) -> None:
        set_field(self, "type", type)
        set_field(self, "doc", doc)
        set_field(self, "option", option)
        set_field(self, "prose", prose)

    def accepts(self, value: Any) -> bool:
        if isinstance(value, bool) and bool not in _as_tuple(self.type):
            return False  # YAML's true is not the number 1
        if isinstance(value, float) and value != value:
            return False  # NaN compares with nothing
        return isinstance(value, self.type)

    @property
    def type_name(self) -> str:
        return str(self.type_text)

    @property
    def type_text(self) -> Message | Items:
        """What the parameter takes, in words: "an integer", "a number or a string"."""
        types = _as_tuple(self.type)
        if len(types) == 1:
            return type_text(types[0])
        return Items(tuple(type_text(t) for t in types), "or")


def _as_tuple(value: type | tuple[type, ...]) -> tuple[type, ...]:
    return value if isinstance(value, tuple) else (value,)


TYPES = Templates("types", {
    "bool": "a boolean", "int": "an integer", "float": "a number", "str": "a string",
    "list": "a list", "dict": "a mapping", "object": "a value",
})


def type_text(kind: type) -> Message | str:
    """A Python type as a parameter or a configuration value has it, in words."""
    return TYPES(kind.__name__) if kind.__name__ in TYPES else kind.__name__


WIRING = Param(object)  # a parameter only rule files set, of any type
PROSE = Param(str, prose=True)  # a rule file's words that go into the check's messages


class CheckSpec(FrozenRecord):
    """A registered check: its function, scope and accepted parameters."""

    __slots__ = ("name", "scope", "func", "params")
    name: str
    scope: str
    func: Callable[..., Iterable[Violation] | Iterable[Pending]]
    params: dict[str, Param]  # accepted parameters

    def __init__(self, name: str, scope: str,
                 func: Callable[..., Iterable[Violation] | Iterable[Pending]],
                 params: dict[str, Param]) -> None:
        set_field(self, "name", name)
        set_field(self, "scope", scope)
        set_field(self, "func", func)
        set_field(self, "params", params)

    def options(self) -> dict[str, Param]:
        return {name: p for name, p in self.params.items() if p.option}


REGISTRY: dict[str, CheckSpec] = {}


def check(name: str, scope: str,
          params: tuple[str, ...] | dict[str, Param] = ()) -> Callable:
    """Register ``func(subject, params)`` as check ``name``: it yields :class:`Violation`
    objects, or :class:`Pending` ones for scope ``bundle``. ``params`` declares the
    parameters: a :class:`Param` each, or bare names for wiring parameters of any type."""
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope}")
    declared = params if isinstance(params, dict) else {p: WIRING for p in params}

    def register(func: Callable[..., Iterator[Violation]]) -> Callable[..., Iterator[Violation]]:
        if name in REGISTRY:
            raise ValueError(f"check {name} registered twice")
        REGISTRY[name] = CheckSpec(name, scope, func, declared)
        # Option docs are texts users read (`explain`): translatable as options.<check>.<name>.
        docs = {key: p.doc for key, p in declared.items() if p.option and p.doc}
        if docs:
            Templates(f"options.{name}", docs)
        return func

    return register


# The modules of this package and of its subpackages, which register the checks when
# imported. Named rather than walked: pkgutil's import and scan cost a one-file run about
# 1 ms (a test keeps the names in step with the files).
MODULES = ("helpers", "helpers.commands", "helpers.containers", "helpers.handlers",
           "helpers.ports", "helpers.values", "images", "lifecycle", "probes", "probes.commands",
           "probes.handlers", "probes.ports", "probes.presence", "probes.timing", "references",
           "references.endpoints", "references.env", "references.keys", "references.lookup",
           "references.names", "references.ports", "references.security", "references.volumes",
           "restart", "rollout", "scheduling", "schema")


def registry() -> dict[str, CheckSpec]:
    """Every check: importing the modules of this package (one per rule area, some areas a
    package of modules) registers them."""
    if not _LOADED:
        import importlib  # noqa: PLC0415

        for module in MODULES:
            importlib.import_module(f"{__name__}.{module}")
        _LOADED.append(True)
    return REGISTRY


_LOADED: list[bool] = []


def scope_of(rule: Any) -> str:
    """What ``rule``'s findings are about: its check's scope (rule files do not repeat it, so
    that the two can never disagree), ``input`` for the rules of the loader, which have none."""
    return "input" if rule.check is None else registry()[rule.check].scope

