"""Runs the selected rules over loaded files and turns violations into located findings."""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from .bundle import Bundle
from .checks import Verdict, Violation, registry, scope_of
from .errors import UsageError
from .findings import Finding, HelmSource, ObjectRef, Span
from .helm import TemplateLines
from .i18n import Items, Message, RuleText, Templates
from .load import LoadedFile, Problem, locate
from .model import (
    K8sObject,
    PodSpec,
    containers_of,
    looks_like_manifest,
    objects_of,
    pod_specs_of,
)
from .records import Record
from .ruleset import Rule, builtin_rules
from .selector import matches_any, unknown_keys, unknown_rule
from .suppress import Directive, Suppressor, origin_text
from .typechecking import TYPE_CHECKING
from .versions import DEFAULT as DEFAULT_KUBE_VERSION
from .versions import applies, parse_version
from .workloads import FAILED_CREATE

if TYPE_CHECKING:
    from typing import Any

    from .autofix.plan import FixPlan

INTERNAL_ERROR = "internal-error"

TEXTS = Templates("engine", {
    "suppression-unknown-one": "{origin} suppression names unknown rule {rules}",
    "suppression-unknown-other": "{origin} suppression names unknown rules {rules}",
    "suppression-unused": "{origin} suppression of {keys} matches no finding; remove it",
    "not-a-manifest": (
        "not a Kubernetes manifest (no apiVersion and kind keys), so its YAML problem is not "
        "reported: {problem}"),
    "problem-line": "line {line}: {problem}",
    # A message whose refusal names no kind, in a pod template validated only in the Pods.
    "late-refusal": "{message} {refusal}",
    "rule-failed": "rule {id} ({name}) failed on this object: {error}; please report it",
})


class Selection(Record):
    """Which rules run (``--select``, ``--ignore``), for which Kubernetes version."""

    __slots__ = ("select", "ignore", "kube_version", "severity")
    select: tuple[str, ...]
    ignore: tuple[str, ...]
    kube_version: str
    severity: dict[str, str]  # rule id -> severity override

    def __init__(self, select: tuple[str, ...] = (), ignore: tuple[str, ...] = (),
                 kube_version: str = DEFAULT_KUBE_VERSION,
                 severity: dict[str, str] | None = None) -> None:
        self.select = select
        self.ignore = ignore
        self.kube_version = kube_version
        self.severity = {} if severity is None else severity


def select_rules(rules: Iterable[Rule], selection: Selection) -> list[Rule]:
    """Rules to run: default-enabled ones (or ``select``), minus ``ignore``, within the version."""
    rules = list(rules)
    _check_patterns(rules, selection.select + selection.ignore)
    target = parse_version(selection.kube_version)
    chosen = []
    for rule in rules:
        wanted = matches_any(rule, selection.select) if selection.select else rule.enabled
        if not wanted or matches_any(rule, selection.ignore):
            continue
        if applies(target, rule.min_kube_version, rule.max_kube_version):
            chosen.append(rule)
    return chosen


def _check_patterns(rules: list[Rule], patterns: tuple[str, ...]) -> None:
    for pattern in unknown_keys(patterns, rules):
        raise UsageError(unknown_rule(pattern))


class Stats(Record):
    """What a run looked at: files, documents and objects, and what it skipped."""

    __slots__ = ("files", "documents", "objects", "other_documents", "without_schema", "skipped")
    files: int
    documents: int
    objects: int
    other_documents: int
    # Objects the schema rules could not validate: custom resources whose CRD is not known
    # (neither in the input nor given with --crd), kinds of API versions the target lacks.
    without_schema: int
    skipped: list[tuple[str, str]]

    def __init__(self, files: int = 0, documents: int = 0, objects: int = 0,
                 other_documents: int = 0, without_schema: int = 0,
                 skipped: list[tuple[str, str]] | None = None) -> None:
        self.files = files
        self.documents = documents
        self.objects = objects
        self.other_documents = other_documents
        self.without_schema = without_schema
        self.skipped = [] if skipped is None else skipped


class _Site(Record):
    """What a finding needs from its object once the document is gone (no YAML nodes)."""

    __slots__ = ("file", "ref", "source", "directives", "span")
    file: str
    ref: ObjectRef
    source: HelmSource | None
    directives: list[Directive]  # the object's suppression annotations
    span: Span  # the object itself: where an internal error points

    def __init__(self, file: str, ref: ObjectRef, source: HelmSource | None,
                 directives: list[Directive], span: Span) -> None:
        self.file = file
        self.ref = ref
        self.source = source
        self.directives = directives
        self.span = span


class _Unvalidated(Record):
    """An object no schema was known for when it was linted (a custom resource, perhaps)."""

    __slots__ = ("file", "document", "path", "api_version", "kind", "directives", "reported")
    file: str
    document: int
    path: tuple
    api_version: str
    kind: str
    directives: list[Directive]
    reported: frozenset  # the paths the other rules reported on it (reported once)

    def __init__(self, file: str, document: int, path: tuple, api_version: str, kind: str,
                 directives: list[Directive], reported: frozenset) -> None:
        self.file = file
        self.document = document
        self.path = path
        self.api_version = api_version
        self.kind = kind
        self.directives = directives
        self.reported = reported


class _Deferred(Record):
    """A ``bundle`` rule's pending violations on one object, located, awaiting the input."""

    __slots__ = ("rule", "site", "pending", "failure")
    rule: Rule
    site: _Site
    # (span, container, field path, Helm source, decide) per violation
    pending: list[tuple[Span, str | None, str, HelmSource | None,
                        Callable[[Bundle], Verdict | None]]]
    failure: Finding | None  # the check raised while the document was loaded

    def __init__(self, rule: Rule, site: _Site, pending: list[tuple[Any, ...]],
                 failure: Finding | None = None) -> None:
        self.rule = rule
        self.site = site
        self.pending = pending
        self.failure = failure


class Engine:
    """Runs every rule as each file is read, then forgets the file.

    ``bundle`` rules need the whole input: while the document is loaded they yield pending
    violations, which are located at once and kept as compact records (:class:`_Deferred`);
    :meth:`finish` decides them against the index of the whole input. Memory is thus bounded
    by the largest file, not by the input.
    """

    def __init__(self, rules: list[Rule], severity: dict[str, str] | None = None,
                 complete: bool = False, chart_dir: str | None = None, schema: Any = None,
                 crds: Any = None,
                 reload: Callable[[str, str | None], LoadedFile | None] | None = None) -> None:
        checks = registry()
        self.rules = rules
        self.schema = schema  # an apischema.SchemaContext, when schema rules are selected
        self._reported: set[tuple] = set()  # paths the other rules reported on this object
        self._stats: Stats | None = None
        # Objects with no known schema when they were linted: a CRD later in the input may
        # describe them (see _validate_late). Small records, no documents.
        self.unvalidated: list[_Unvalidated] = []
        self.validated_late = 0  # how many of them finish() validated after all
        self.reload = reload  # reads a file again for that (None: they stay unvalidated)
        self.selected_ids = {r.id for r in rules}
        self.severity = severity or {}
        self.bundle = Bundle(complete, index_crds=schema is not None)
        if crds is not None:
            self.bundle.add_crds(crds)
        self.pending: list[_Deferred] = []
        self.suppressor = Suppressor(list(builtin_rules()))
        self.suppressed: list[tuple[Finding, Directive]] = []
        self.templates = TemplateLines(chart_dir) if chart_dir else None
        self.inline_texts: dict[str, str] = {}  # inputs that are not files on disk (stdin)
        self._planner: Any = None  # plans the fixes of the file being linted (autofix.plan)
        self.by_scope: dict[str, list[tuple[Rule, Any]]] = {}
        self.input_rules: dict[str, Rule] = {}
        for rule in rules:
            if rule.check is None:
                self.input_rules[rule.name] = rule
                continue
            spec = checks.get(rule.check)
            if spec is None:
                raise UsageError(f"rule {rule.id} uses unknown check {rule.check!r}")
            self.by_scope.setdefault(spec.scope, []).append((_with_prose(rule, spec), spec))
        all_rules = {r.name: r for r in builtin_rules()}
        self.internal_rule = all_rules.get(INTERNAL_ERROR)

    def lint(self, loaded: LoadedFile, stats: Stats, new_file: bool = True) -> list[Finding]:
        """Findings of a file, or of a piece of one (``new_file`` False for the later pieces:
        :func:`kprobelint.load.load_pieces`); the documents are not kept."""
        findings: list[Finding] = []
        if new_file:
            stats.files += 1
        problems = loaded.problems
        if _not_a_manifest(loaded):  # judged by each piece of a big file on its own
            loaded.skipped = TEXTS("not-a-manifest", problem=_describe(problems[0]))
            problems = []
        if loaded.skipped and not (stats.skipped and stats.skipped[-1][0] == loaded.path):
            stats.skipped.append((loaded.path, loaded.skipped))
        if loaded.text:
            self.suppressor.scan_comments(loaded.path, loaded.text, loaded.first_line)
        for problem in problems:
            rule = self.input_rules.get(problem.rule)
            if rule is not None:
                self._emit(self._finding(rule, loaded.path, problem.span, problem.text),
                           None, findings)
        stats.documents += len(loaded.documents)
        objects, others = objects_of(loaded)
        stats.objects += len(objects)
        stats.other_documents += others
        inline = loaded.path in self.inline_texts  # it cannot be read again (stdin)
        linted = [(obj, pod_specs_of(obj)) for obj in objects]
        for obj, pods in linted:  # first, so that a pod's references to its neighbours settle
            self.bundle.add(obj, pods, inline)
        self._stats = stats
        for obj, pods in linted:
            self._lint_object(obj, pods, findings)
        self._planner = None  # it holds the file's documents
        return findings

    def finish(self, bundle: Bundle | None = None) -> list[Finding]:
        """Findings of the rules that need the whole input (references, Services).

        ``bundle`` replaces this engine's own index when the input was split between
        processes: each worker then checks its pods against the index of the whole input.
        """
        if bundle is not None:
            self.bundle = bundle
        self.bundle.canonical_order()
        findings: list[Finding] = []
        if self.unvalidated:
            self._validate_late(findings)
        for deferred in self.pending:
            self._decide(deferred, findings)
        self.pending.clear()
        findings.extend(self._directive_findings())
        return findings

    def _emit(self, finding: Finding, directives: list[Directive] | None,
              findings: list[Finding]) -> None:
        directive = self.suppressor.match(finding, directives)
        if directive is None:
            findings.append(finding)
        else:
            self.suppressed.append((finding, directive))

    def _directive_findings(self) -> list[Finding]:
        """Suppressions that name unknown rules, or that matched nothing although they ran."""
        unknown_rule = self.input_rules.get("suppression-unknown-rule")
        unused_rule = self.input_rules.get("suppression-unused")
        found: list[Finding] = []
        for d in self.suppressor.directives:
            origin = origin_text(d.origin)
            if d.unknown and unknown_rule is not None:
                key = "one" if len(d.unknown) == 1 else "other"
                found.append(self._finding(
                    unknown_rule, d.file, d.span,
                    TEXTS(f"suppression-unknown-{key}", origin=origin,
                          rules=Items(tuple(d.unknown)))))
            elif (unused_rule is not None and not d.used and d.rules
                  and d.rules <= self.selected_ids):
                found.append(self._finding(
                    unused_rule, d.file, d.span,
                    TEXTS("suppression-unused", origin=origin, keys=Items(tuple(d.keys)))))
        return found

    def _lint_object(self, obj: K8sObject, pods: list[PodSpec],
                     findings: list[Finding]) -> None:
        self.suppressor.scan_object(obj, [pod.metadata_path for pod in pods])
        self._reported.clear()
        self._run("object", obj, obj, None, findings)
        if "object-bundle" in self.by_scope:
            self._defer("object-bundle", obj, obj, None)
        for pod in pods:
            if "bundle" in self.by_scope:
                self._defer("bundle", pod, obj, pod)
            self._run("pod", pod, obj, None, findings, pod)
            if "container" in self.by_scope:
                for container in containers_of(pod):
                    self._run("container", container, obj, container.name, findings, pod)
        if "schema" in self.by_scope:
            self._run_schema(obj, findings)

    def _run_schema(self, obj: K8sObject, findings: list[Finding], late: bool = False) -> None:
        """The schema rules, last: a key another rule reported is reported once, by that
        rule (it is the more specific one: a quoted probe port, an invalid pull policy)."""
        try:
            issues = self.schema.issues(obj.data, obj.api_version, obj.kind, obj.path,
                                        obj.file.path, self.bundle.crds)
        except Exception as exc:  # a validator bug must not stop the run
            rule = self.by_scope["schema"][0][0]
            self._emit(self._internal_error(rule, obj, None, exc), obj.directives, findings)
            return
        if issues is None:
            if not late and self._stats is not None:
                self._stats.without_schema += 1
                self.unvalidated.append(_Unvalidated(
                    obj.file.path, obj.document.index, obj.path, obj.api_version, obj.kind,
                    obj.directives, frozenset(self._reported)))
            return
        reported = self._reported
        for rule, spec in self.by_scope["schema"]:
            try:
                for violation in spec.func(issues, rule.params):
                    if violation.path not in reported:
                        self._emit(self._located(rule, obj, None, violation), obj.directives,
                                   findings)
            except Exception as exc:  # one broken rule must not stop the run
                self._emit(self._internal_error(rule, obj, None, exc), obj.directives,
                           findings)

    def _validate_late(self, findings: list[Finding]) -> None:
        """Validate the custom resources whose CRD came later in the input than they did.

        Their files are read again (only those), so that no document has to stay in memory
        meanwhile.
        """
        crds = self.bundle.crds
        late = [u for u in self.unvalidated if crds is not None
                and crds.knows(u.api_version, u.kind)]
        self.unvalidated = []
        by_file: dict[str, list[_Unvalidated]] = {}
        for record in late:
            by_file.setdefault(record.file, []).append(record)
        for file, records in by_file.items():
            # An input that cannot be read again (stdin) is read from its text, kept whole.
            loaded = self.reload(file, self.inline_texts.get(file)) if self.reload else None
            if loaded is None:
                continue
            objects = {(o.document.index, o.path): o for o in objects_of(loaded)[0]}
            for record in records:
                obj = objects.get((record.document, record.path))
                if obj is None or (obj.api_version, obj.kind) != (record.api_version,
                                                                   record.kind):
                    continue  # the file changed since
                obj.directives = record.directives
                self._reported = set(record.reported)
                self._run_schema(obj, findings, late=True)
                self.validated_late += 1

    def _run(self, scope: str, subject: Any, obj: K8sObject, container: str | None,
             findings: list[Finding], pod: PodSpec | None = None) -> None:
        for rule, spec in self.by_scope.get(scope, ()):
            try:
                for violation in spec.func(subject, rule.params):
                    self._reported.add(violation.path)
                    self._emit(self._located(rule, obj, container, violation, pod),
                               obj.directives, findings)
            except Exception as exc:  # one broken rule must not stop the run
                self._emit(self._internal_error(rule, obj, container, exc), obj.directives,
                           findings)

    def _defer(self, scope: str, subject: Any, obj: K8sObject, pod: PodSpec | None) -> None:
        """Run the rules of a ``bundle`` scope on the pod (or, ``object-bundle``, the object)
        now; keep their located, undecided violations."""
        site: _Site | None = None
        for rule, spec in self.by_scope[scope]:
            pending = []
            failure = None
            try:
                for item in spec.func(subject, rule.params):
                    if item.unless is not None and self.bundle.declares(item.unless):
                        continue  # satisfied already, so whatever the rest of the input holds
                    span = locate(obj.document.data, item.path, item.on_key)
                    container = _container_in(pod, item.path) if pod is not None else None
                    pending.append((span, container,
                                    _field_path(item.path[len(obj.path):]),
                                    self._source(obj, span), item.decide))
            except Exception as exc:  # one broken rule must not stop the run
                failure = self._internal_error(rule, obj, None, exc)
            if pending or failure is not None:
                if site is None:
                    document = obj.document
                    site = _Site(obj.file.path, obj.ref, document.source, obj.directives,
                                 locate(document.data, obj.path))
                self.pending.append(_Deferred(rule, site, pending, failure))

    def _decide(self, deferred: _Deferred, findings: list[Finding]) -> None:
        """Findings of one rule on one object, now that the whole input is indexed."""
        rule, site = deferred.rule, deferred.site
        for span, container, field_path, source, decide in deferred.pending:
            try:
                verdict = decide(self.bundle)
            except Exception as exc:  # as in _run: the rule stops there for this object
                finding = self._finding(self.internal_rule or rule, site.file, site.span,
                                        _failure_message(rule, exc), site.ref, None, None,
                                        site.source)
                finding.failed_rule = rule.id
                self._emit(finding, site.directives, findings)
                return
            if verdict is None:
                continue
            finding = self._finding(rule, site.file, span, verdict.message, site.ref, container,
                                    field_path, source)
            _override(finding, rule, verdict, self.severity)
            self._emit(finding, site.directives, findings)
        if deferred.failure is not None:
            self._emit(deferred.failure, site.directives, findings)

    def _located(self, rule: Rule, obj: K8sObject, container: str | None,
                 violation: Violation, pod: PodSpec | None = None) -> Finding:
        span = locate(obj.document.data, violation.path, violation.on_key)
        # An object-level violation (a schema rule's) may point into a pod spec too.
        site = pod if pod is not None else _pod_at(obj, violation.path)
        if container is None and site is not None:
            container = _container_in(site, violation.path)
        finding = self._finding(
            rule, obj.file.path, span, violation.message, obj.ref, container,
            _field_path(violation.path[len(obj.path):]), self._source(obj, span),
        )
        _override(finding, rule, violation, self.severity)
        if violation.statuses is None and site is not None \
                and scope_of(rule) != "schema":
            # A pod spec refused by validation: Rejected with the object, or FailedCreate
            # when only the Pods its controller creates are validated (a StatefulSet). The
            # schema rules say it per issue: a value that cannot be decoded, or a custom
            # resource refused by its CRD's schema, is the object's own refusal.
            finding.statuses = site.workload.refused_statuses(rule.statuses)
            if FAILED_CREATE in finding.statuses and FAILED_CREATE not in finding.message \
                    and str(site.workload.refusal()) not in finding.message:
                late = TEXTS("late-refusal", message=finding.template or finding.message,
                             refusal=site.workload.late_refusal())
                finding.message, finding.template = str(late), late
        if violation.fix is not None and rule.autofix is not None:
            finding.fix = violation.fix
            finding.fix_plan = self._plan_fix(rule, obj, finding)
        return finding

    def _plan_fix(self, rule: Rule, obj: K8sObject, finding: Finding) -> FixPlan:
        """The exact edits of a finding's fix, while its document is still loaded."""
        from .autofix.plan import FilePlanner, for_helm  # noqa: PLC0415  (only with a fix)

        safety = rule.autofix.safety  # only rules that declare a fix get here
        if self._planner is None or self._planner.loaded is not obj.file:
            self._planner = FilePlanner(obj.file)
        plan = self._planner.plan(finding.fix, obj.document, safety, finding.field or "")
        if obj.document.source is not None:  # generated: the template is what to change
            return for_helm(plan, finding)
        return plan

    def _source(self, obj: K8sObject, span: Span) -> HelmSource | None:
        """The object's Helm template, with the template line of ``span`` (``--chart-dir``)."""
        source = obj.document.source
        if source is None or self.templates is None or not obj.file.text:
            return source
        return self.templates.source(source, obj.file.path, obj.file.text, span.line,
                                     obj.document.start_line, obj.file.first_line)

    def _finding(self, rule: Rule, path: str, span: Span, message: Message | str,
                 ref: ObjectRef | None = None, container: str | None = None,
                 field_path: str | None = None, source: HelmSource | None = None) -> Finding:
        # The English text is the finding's identity (sorting, baselines); the template
        # renders it in the report's language.
        template = message if isinstance(message, Message) else None
        return Finding(
            rule_id=rule.id, rule_name=rule.name,
            severity=self.severity.get(rule.id, rule.severity),
            file=path, span=span, message=str(message), statuses=rule.statuses,
            certainty=rule.certainty, condition=rule.condition,
            object=ref, container=container, field=field_path, source=source,
            template=template,
        )

    def _internal_error(self, rule: Rule, obj: K8sObject, container: str | None,
                        exc: Exception) -> Finding:
        span = locate(obj.document.data, obj.path)
        internal = self.internal_rule or rule
        finding = self._finding(internal, obj.file.path, span, _failure_message(rule, exc),
                                obj.ref, container, None, self._source(obj, span))
        finding.failed_rule = rule.id
        return finding


# Hostile input (bytes that are not UTF-8 or not text at all, alias bombs, absurd nesting, a
# document too large to read) is reported wherever it is. Every other problem of the loader
# is a way ordinary text is not what kubectl reads (JSON with comments or trailing commas,
# tabs, a repeated key, content after the first document), which says nothing about a file
# that never looked like a manifest: a tsconfig.json or an editor's settings.
_HOSTILE = frozenset({"binary-file", "invalid-utf8", "excessive-aliasing", "nesting-too-deep",
                      "document-too-large"})


def _not_a_manifest(loaded: LoadedFile) -> bool:
    """A broken file that never looked like a manifest (see :func:`looks_like_manifest`).

    Text without both keys holds no Kubernetes object, so the text alone decides. Without
    text (bytes that are not text in any encoding) there is nothing to judge by, and the
    problem is reported.
    """
    # Bytes that are not text are read as their line breaks alone (kprobelint.load).
    return (bool(loaded.problems) and loaded.text.count("\n") != len(loaded.text)
            and not any(p.rule in _HOSTILE for p in loaded.problems)
            and not looks_like_manifest(loaded.text))


def _describe(problem: Problem) -> Message:
    return TEXTS("problem-line", line=problem.span.line, problem=problem.text)


def _override(finding: Finding, rule: Rule, verdict: Violation | Verdict,
              user_severity: dict[str, str]) -> None:
    """Apply what a check says of this one finding: its severity (unless the user set the
    rule's), its statuses and its certainty."""
    if verdict.severity and rule.id not in user_severity:
        finding.severity = verdict.severity
    if verdict.statuses is not None:
        finding.statuses = verdict.statuses
    if verdict.certainty:
        finding.certainty = verdict.certainty
        finding.condition = verdict.condition if verdict.certainty == "conditional" else None


def _with_prose(rule: Rule, spec: Any) -> Rule:
    """``rule`` with the prose among its parameters as :class:`RuleText`, so that a check's
    message shows it in the rule's translation."""
    prose = {name: RuleText(rule.id, f"params.{name}", value)
             for name, value in rule.params.items()
             if isinstance(value, str) and getattr(spec.params.get(name), "prose", False)}
    return dataclasses.replace(rule, params={**rule.params, **prose}) if prose else rule


def _failure_message(rule: Rule, exc: Exception) -> Message:
    return TEXTS("rule-failed", id=rule.id, name=rule.name, error=f"{type(exc).__name__}: {exc}")


def _pod_at(obj: K8sObject, path: tuple) -> PodSpec | None:
    """The pod spec of ``obj`` that ``path`` enters, if any."""
    for pod in pod_specs_of(obj):
        if path[:len(pod.path)] == pod.path:
            return pod
    return None


def _container_in(pod: PodSpec, path: tuple) -> str | None:
    """The name of the container a pod-level violation points into, if its path enters one.

    A container sits one step (a lone container) or two (a list item) below its pod spec;
    the names by path are computed once per pod, since a pod may have thousands of them.
    """
    names = pod.remember("container-names", lambda: {
        c.path: c.data.get("name") for c in containers_of(pod)})
    for depth in (2, 1):
        name = names.get(path[:len(pod.path) + depth])
        if name is not None:
            return name if isinstance(name, str) else None
    return None


def _field_path(path: tuple) -> str:
    parts: list[str] = []
    for step in path:
        if isinstance(step, int):
            parts.append(f"[{step}]")
        else:
            parts.append(("." if parts else "") + step)
    return "".join(parts)
