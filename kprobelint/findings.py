"""The located finding: what every stage after the engine passes along."""
from __future__ import annotations

from .i18n import DEFAULT, Items, Message, RuleText, Templates, param_text, render
from .records import FrozenRecord, Record, set_field
from .typechecking import TYPE_CHECKING

if TYPE_CHECKING:  # made only for a fixable finding: its class costs the others' start-up
    from .autofix.plan import FixPlan

# The words a report puts around a finding's message, when a format has one text field.
TEXTS = Templates("finding", {
    "container": "container {name}",
    "where": "{message} ({where})",
    "from": "{message} From {source}.",
    # What the mistake leads to, in a report's line of context...
    "leads-to": "leads to {statuses}",
    "may-lead-to": "may lead to {statuses}, only if {condition}",
    "only-if": "only if {condition}",
    # ... and as a sentence after the message, in formats with one text field.
    "sentence-leads-to": "{message} Leads to: {statuses}.",
    "sentence-may-lead-to": "{message} May lead to: {statuses}, only if {condition}.",
    "sentence-only-if": "{message} Only if {condition}.",
})

SEVERITIES = ("error", "warning", "note")
CERTAINTIES = ("certain", "conditional")
SEVERITY_RANK = {"note": 0, "warning": 1, "error": 2}


class Span(FrozenRecord):
    """1-based line and column; ``end_column`` is exclusive, as in SARIF."""

    __slots__ = ("line", "column", "end_line", "end_column")
    line: int
    column: int
    end_line: int
    end_column: int

    def __init__(self, line: int, column: int, end_line: int, end_column: int) -> None:
        set_field(self, "line", line)
        set_field(self, "column", column)
        set_field(self, "end_line", end_line)
        set_field(self, "end_column", end_column)


class ObjectRef(FrozenRecord):
    """The Kubernetes object a finding is about (``Deployment shop/web``)."""

    __slots__ = ("kind", "name", "namespace")
    kind: str
    name: str
    namespace: str | None

    def __init__(self, kind: str, name: str, namespace: str | None = None) -> None:
        set_field(self, "kind", kind)
        set_field(self, "name", name)
        set_field(self, "namespace", namespace)

    def label(self) -> str:
        ns = f"{self.namespace}/" if self.namespace else ""
        return f"{self.kind} {ns}{self.name}"


class HelmSource(FrozenRecord):
    """The chart template a Helm-rendered document came from (``# Source:``).

    ``file`` is the path as Helm writes it, starting with the chart's *name*
    (``mychart/templates/web.yaml``). With ``--chart-dir`` the template is found on disk:
    ``path`` is then its path as a user reaches it (``examples/mychart/templates/web.yaml``,
    relative like the chart directory given), and ``line`` the template line the finding's
    rendered line came from, when it can be matched.
    """

    __slots__ = ("file", "line", "path")
    file: str
    line: int | None
    path: str | None

    def __init__(self, file: str, line: int | None = None, path: str | None = None) -> None:
        set_field(self, "file", file)
        set_field(self, "line", line)
        set_field(self, "path", path)

    def label(self) -> str:
        """``path:line`` of the template, as far as it is known."""
        return f"{self.path or self.file}{f':{self.line}' if self.line else ''}"


class Fix(FrozenRecord):
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

    __slots__ = ("action", "path", "replacement", "expected")
    action: str  # "replace-value" | "rename-key" | "replace-item" | "add-key"
    path: tuple
    replacement: str
    expected: str | None

    def __init__(self, action: str, path: tuple, replacement: str,
                 expected: str | None = None) -> None:
        set_field(self, "action", action)
        set_field(self, "path", path)
        set_field(self, "replacement", replacement)
        set_field(self, "expected", expected)


class Finding(Record):
    """One problem found: which rule, where (file and span), what it leads to, and how to fix it."""

    __slots__ = ("rule_id", "rule_name", "severity", "file", "span", "message", "statuses",
                 "certainty", "condition", "object", "container", "field", "source", "failed_rule",
                 "fix", "fix_plan", "template")
    rule_id: str
    rule_name: str
    severity: str
    file: str
    span: Span
    message: str
    statuses: tuple[str, ...]
    # "certain": the statuses always follow; "conditional": only if ``condition`` holds too
    certainty: str
    condition: str | Message | None  # the rule's (text), or a check's own (a message)
    object: ObjectRef | None
    container: str | None
    field: str | None
    source: HelmSource | None
    failed_rule: str | None  # for internal-error findings: the rule that raised
    fix: Fix | None  # a mechanical correction, when one exists
    fix_plan: FixPlan | None  # its exact edits (or why there are none)
    # The message as a template and its parameters, to show it in another language; None for
    # a message that exists only as text (``message`` is then shown in every language).
    template: Message | None

    def __init__(self, rule_id: str, rule_name: str, severity: str, file: str, span: Span,
                 message: str, statuses: tuple[str, ...] = (), certainty: str = "certain",
                 condition: str | Message | None = None, object: ObjectRef | None = None,
                 container: str | None = None, field: str | None = None,
                 source: HelmSource | None = None, failed_rule: str | None = None,
                 fix: Fix | None = None, fix_plan: FixPlan | None = None,
                 template: Message | None = None) -> None:
        self.rule_id = rule_id
        self.rule_name = rule_name
        self.severity = severity
        self.file = file
        self.span = span
        self.message = message
        self.statuses = statuses
        self.certainty = certainty
        self.condition = condition
        self.object = object
        self.container = container
        self.field = field
        self.source = source
        self.failed_rule = failed_rule
        self.fix = fix
        self.fix_plan = fix_plan
        self.template = template

    def text(self, lang: str = DEFAULT) -> str:
        """The message in ``lang``."""
        if lang == DEFAULT or self.template is None:
            return self.message
        return render(self.template, lang)

    def where(self) -> Items | None:
        """The object and container the finding is about, for a report."""
        parts: list = []
        if self.object is not None:
            parts.append(self.object.label())
        if self.container:
            parts.append(TEXTS("container", name=self.container))
        return Items(tuple(parts)) if parts else None

    def full_message(self, with_source: bool = True, lang: str = DEFAULT) -> str:
        """The message with its object, container, predicted statuses and Helm template, for
        formats that have a single text field (SARIF, GitHub annotations)."""
        text = self.text(lang)
        where = self.where()
        if where is not None:
            text = render(TEXTS("where", message=text, where=where), lang)
        outcome = self.outcome(text)
        if outcome is not None:
            text = render(outcome, lang)
        if with_source and self.source is not None:
            text = render(TEXTS("from", message=text, source=self.source.label()), lang)
        return text

    def outcome(self, message: str | None = None) -> Message | None:
        """What the mistake leads to, and whether only under a condition: ``leads to
        Rejected``, ``may lead to CrashLoopBackOff, only if the app stalls under load``,
        ``only if ...`` (conditional, no status) or None (certain, no status). With
        ``message`` (for one-field formats), as a sentence after it: ``... Leads to: Rejected.``
        """
        statuses = Items(self.statuses) if self.statuses else None
        condition = self.condition if self.certainty == "conditional" and self.condition else None
        if statuses is None and condition is None:
            return None
        key = "may-lead-to" if statuses and condition else "leads-to" if statuses else "only-if"
        if message is not None:
            key = f"sentence-{key}"
        params = {"message": message} if message is not None else {}
        if statuses is not None:
            params["statuses"] = statuses
        if condition is not None:
            params["condition"] = self._condition()
        return TEXTS(key, **params)

    def _condition(self) -> Message | RuleText:
        condition = self.condition
        if isinstance(condition, Message):
            return condition
        return RuleText(self.rule_id, "condition", condition or "")

    def condition_text(self, lang: str = DEFAULT) -> str | None:
        """The condition of a conditional finding, in ``lang``; None for a certain one."""
        if self.certainty != "conditional" or not self.condition:
            return None
        return param_text(self._condition(), lang)

    def sort_key(self) -> tuple:
        return (self.file, self.span.line, self.span.column, self.rule_id, self.message)
