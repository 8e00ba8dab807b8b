"""The schema rules: one check, parameterised by the kind of issue each rule reports.

The engine validates each object once (:mod:`kprobelint.apischema`) and hands every
``schema`` rule the object's issues; a rule keeps those of its kind. Violations carry the
issue's :class:`~kprobelint.findings.Fix`, when there is one.
"""
from __future__ import annotations

from collections.abc import Iterator

from ..typechecking import TYPE_CHECKING
from . import Violation, check

if TYPE_CHECKING:  # the schema machinery loads only when a schema rule runs
    from ..apischema.issues import SchemaIssue


@check("schema-issues", "schema", params=("issue",))
def schema_issues(issues: list[SchemaIssue], params: dict) -> Iterator[Violation]:
    wanted = params["issue"]
    for issue in issues:
        if issue.kind == wanted:
            yield Violation(issue.path, issue.message, on_key=issue.on_key, fix=issue.fix,
                            statuses=issue.statuses)
