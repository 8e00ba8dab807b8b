"""The located finding: what every stage after the engine passes along."""
from __future__ import annotations

from dataclasses import dataclass

from .typechecking import TYPE_CHECKING

if TYPE_CHECKING:  # made only for a fixable finding: its class costs the others' start-up
    from .autofix.plan import FixPlan

SEVERITIES = ("error", "warning", "note")
CERTAINTIES = ("certain", "conditional")
SEVERITY_RANK = {"note": 0, "warning": 1, "error": 2}


@dataclass(frozen=True, slots=True)
class Span:
    """1-based line and column; ``end_column`` is exclusive, as in SARIF."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True, slots=True)
class ObjectRef:
    """The Kubernetes object a finding is about (``Deployment shop/web``)."""

    kind: str
    name: str
    namespace: str | None = None

    def label(self) -> str:
        ns = f"{self.namespace}/" if self.namespace else ""
        return f"{self.kind} {ns}{self.name}"


@dataclass(frozen=True, slots=True)
class HelmSource:
    """The chart template a Helm-rendered document came from (``# Source:``).

    ``file`` is the path as Helm writes it, starting with the chart's *name*
    (``mychart/templates/web.yaml``). With ``--chart-dir`` the template is found on disk:
    ``path`` is then its path as a user reaches it (``examples/mychart/templates/web.yaml``,
    relative like the chart directory given), and ``line`` the template line the finding's
    rendered line came from, when it can be matched.
    """

    file: str
    line: int | None = None
    path: str | None = None


@dataclass(frozen=True, slots=True)
class Fix:
    """A mechanical correction of one finding, for ``kprobelint fix`` (issue 12).

    ``action`` says what to do at ``path`` (the finding's document path, as in ``field``):
    ``replace-value`` writes ``replacement`` (exact YAML text, e.g. ``"yes"`` with its quotes)
    in place of the value; ``rename-key`` renames the key to ``replacement`` (the suggested
    field name); ``replace-item`` replaces the sequence item at ``path`` by the items of
    ``replacement`` (a flow sequence such as ``[sh, -c, "curl -f localhost"]``); ``add-key``
    adds the missing key ``path[-1]`` with the value ``replacement``. ``expected``
    names the type the field takes (``string``, ``int32``, ``boolean``, ...), when the finding
    is about a type.
    """

    action: str  # "replace-value" | "rename-key" | "replace-item" | "add-key"
    path: tuple
    replacement: str
    expected: str | None = None


@dataclass(slots=True)
class Finding:
    """One problem found: which rule, where (file and span), what it leads to, and how to fix it."""

    rule_id: str
    rule_name: str
    severity: str
    file: str
    span: Span
    message: str
    statuses: tuple[str, ...] = ()
    # "certain": the statuses always follow; "conditional": only if ``condition`` holds too
    certainty: str = "certain"
    condition: str | None = None
    object: ObjectRef | None = None
    container: str | None = None
    field: str | None = None
    source: HelmSource | None = None
    failed_rule: str | None = None  # for internal-error findings: the rule that raised
    fix: Fix | None = None  # a mechanical correction, when one exists
    fix_plan: FixPlan | None = None  # its exact edits (or why there are none)

    def full_message(self, with_source: bool = True) -> str:
        """The message with its object, container, predicted statuses and Helm template, for
        formats that have a single text field (SARIF, GitHub annotations)."""
        text = self.message
        where = []
        if self.object is not None:
            where.append(self.object.label())
        if self.container:
            where.append(f"container {self.container}")
        if where:
            text += f" ({', '.join(where)})"
        outcome = self.outcome(sentence=True)
        if outcome:
            text += f" {outcome}."
        if with_source and self.source is not None:
            line = f":{self.source.line}" if self.source.line else ""
            text += f" From {self.source.path or self.source.file}{line}."
        return text

    def outcome(self, sentence: bool = False) -> str:
        """What the mistake leads to, and whether only under a condition: ``leads to
        Rejected``, ``may lead to CrashLoopBackOff, only if the app stalls under load``,
        ``only if ...`` (conditional, no status) or "" (certain, no status). As a
        ``sentence`` (for one-field formats): ``Leads to: Rejected``, ``May lead to: ...``."""
        statuses = ", ".join(self.statuses)
        conditional = self.certainty == "conditional" and bool(self.condition)
        if not statuses:
            text = f"only if {self.condition}" if conditional else ""
        elif conditional:
            text = f"may lead to{':' if sentence else ''} {statuses}, only if {self.condition}"
        else:
            text = f"leads to{':' if sentence else ''} {statuses}"
        return text[:1].upper() + text[1:] if sentence else text

    def sort_key(self) -> tuple:
        return (self.file, self.span.line, self.span.column, self.rule_id, self.message)
