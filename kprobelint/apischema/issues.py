"""What schema validation finds: typed records the ``schema`` rules turn into findings.

Each :class:`SchemaIssue` carries the template parameters of its message (so that messages
can be translated) and, where a mechanical fix exists, a :class:`~kprobelint.findings.Fix`.
"""
from __future__ import annotations

from ..findings import Fix
from ..records import FrozenRecord, set_field
from ..typechecking import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any
from ..i18n import Message
from .messages import TEXTS

# Issue kinds, one per schema rule (see rules/schema/).
TYPE = "type"  # a value the API server cannot decode into the field's type
YAML11 = "yaml11"  # a plain scalar YAML 1.1 reads as a boolean or number where text belongs
UNKNOWN = "unknown"  # a field the type does not have
VERSION = "version"  # a field the type has in other Kubernetes releases, not the target one
REQUIRED = "required"  # a required field missing, or an empty list that must have items
ENUM = "enum"  # a value outside the schema's allowed set
FILE_MODE = "file-mode"  # a file mode written in decimal, beyond 0777
# What the API server's validation checks, not its decoding: in a pod template that a kind
# validates only in the Pods made from it (a StatefulSet: kprobelint.workloads) such a value
# is accepted and every Pod is refused. A value that cannot be decoded, or a field the type
# lacks (strict field validation), refuses the whole request whatever the kind.
VALIDATION_ISSUES = frozenset({REQUIRED, ENUM, FILE_MODE})


class SchemaIssue(FrozenRecord):
    """A difference between an object and its API schema, worded by a template."""

    __slots__ = ("kind", "path", "template", "params", "on_key", "fix", "statuses")
    kind: str
    path: tuple  # absolute within the document, as Violation.path
    template: str  # the key of a message template of kprobelint.apischema.messages
    params: dict[str, Any]  # its named parameters
    on_key: bool
    fix: Fix | None
    statuses: tuple[str, ...] | None  # when not the rule's (see context.validated_late)

    def __init__(self, kind: str, path: tuple, template: str,
                 params: dict[str, Any] | None = None, on_key: bool = False,
                 fix: Fix | None = None, statuses: tuple[str, ...] | None = None) -> None:
        set_field(self, "kind", kind)
        set_field(self, "path", path)
        set_field(self, "template", template)
        set_field(self, "params", {} if params is None else params)
        set_field(self, "on_key", on_key)
        set_field(self, "fix", fix)
        set_field(self, "statuses", statuses)

    @property
    def message(self) -> Message:
        return TEXTS(self.template, **self.params)
