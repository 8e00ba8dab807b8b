"""Checks on exec commands of probes and hooks: argv split, and $(VAR) references.

The kubelet runs ``exec.command`` as an argv through the runtime, without a shell: a first
item with spaces is looked up as one executable name. It expands ``$(VAR)`` in an exec probe
only from static ``env[].value`` entries (``ExpandContainerCommandOnlyStatic``), and never in a
lifecycle hook.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from ...i18n import Message, Templates
from ...lazyregex import LazyPattern
from ...model import Container
from .. import PROSE, WIRING, Violation, check
from ..helpers.commands import exec_argv, run_in_shell, script_index, unsplit_fix
from ..helpers.handlers import in_container as _in
from ..helpers.handlers import owners, selected_owners
from ..helpers.values import quoted

_SHELL_VARIABLE = LazyPattern(r"[A-Z_][A-Z0-9_]*\Z")  # what a shell user writes for an env var

TEXTS = Templates("probe-commands", {
    "unsplit": (
        "{field} ({value}) {where} is run as one executable name, spaces included, without a "
        "shell, so it is never found: {consequence}{fix}"),
    "env-reference": "{field} ({value}) {where} uses $({name}), {what}; {consequence}",
    # What the command really gets for $(NAME): the {what} above.
    "shell-empty": (
        "the kubelet replaces it with an empty string, since it expands only static env values; "
        "write ${name} to let the shell read the variable"),
    "shell-command": (
        "which the kubelet leaves as it is, so the shell runs a command named {quoted} instead "
        "(\"not found\", an empty result); write ${name} to let the shell read the variable"),
    "value-from": (
        "which comes from valueFrom: the kubelet expands only static env values in an exec probe "
        "and puts an empty string in its place"),
    "hook-literal": (
        "which the kubelet passes on literally: lifecycle hook commands are never expanded (use "
        "[sh, -c, \"... ${name} ...\"])"),
    "not-static": (
        "but {quoted} is not a static env value of this container, so the probe gets the literal "
        "text"),
})


@check("exec-command-unsplit", scope="container",
       params={"where": WIRING, "consequence": PROSE})
def exec_command_unsplit(container: Container, params: dict) -> Iterator[Violation]:
    for label, path, owner in selected_owners(container, params["where"]):
        argv = exec_argv(owner.get("exec"))
        if argv is None or not isinstance(argv[0], str) or not re.search(r"\s", argv[0]):
            continue
        shell = run_in_shell(path + ("exec", "command", 0), argv[0]) if len(argv) == 1 else None
        yield Violation(
            path + ("exec", "command", 0),
            TEXTS("unsplit", field=f"{label}.exec.command[0]", value=quoted(argv[0]),
                  where=_in(container), consequence=params["consequence"],
                  fix=unsplit_fix(argv[0])),
            fix=shell,
        )


def variable_references(text: str) -> Iterator[str]:
    """Names in ``$(NAME)`` references, as the kubelet's expansion scans them (``$$`` escapes)."""
    cursor = 0
    while cursor < len(text) - 1:
        if text[cursor] != "$":
            cursor += 1
            continue
        following = text[cursor + 1]
        if following == "$":
            cursor += 2
            continue
        if following == "(":
            end = text.find(")", cursor + 2)
            if end < 0:
                return
            yield text[cursor + 2:end]
            cursor = end + 1
            continue
        cursor += 1


def _env_sources(container: Container) -> dict[str, str]:
    """Env names to ``static`` or ``valueFrom``; a later entry wins, as in the kubelet's map."""
    sources: dict[str, str] = {}
    env = container.data.get("env")
    for entry in env if isinstance(env, list) else ():
        if isinstance(entry, dict) and isinstance(entry.get("name"), str):
            sources[entry["name"]] = "valueFrom" if entry.get("valueFrom") is not None \
                else "static"
    return sources


@check("exec-env-reference", scope="container",
       params={"target": WIRING, "consequence": PROSE})
def exec_env_reference(container: Container, params: dict) -> Iterator[Violation]:
    probes = params["target"] == "probes"
    sources = _env_sources(container)
    for label, path, owner in owners(container, params["target"]):
        argv = exec_argv(owner.get("exec"))
        if argv is None:
            continue
        script = script_index(argv)
        for index, arg in enumerate(argv):
            if not isinstance(arg, str):
                continue
            reported: set[str] = set()
            for name in variable_references(arg):
                if name in reported:
                    continue
                what = _reference_problem(name, sources.get(name), probes, index == script)
                if what is None:
                    continue
                reported.add(name)
                shown = arg if len(arg) <= 60 else arg[:57] + "..."
                yield Violation(
                    path + ("exec", "command", index),
                    TEXTS("env-reference", field=f"{label}.exec.command[{index}]",
                          value=quoted(shown), where=_in(container), name=name, what=what,
                          consequence=params["consequence"]),
                )


def _reference_problem(name: str, source: str | None, probes: bool,
                       shell: bool) -> Message | None:
    """What the command really gets for ``$(name)``, when it is not the variable's value."""
    if probes and source == "static":
        return None  # exec probes expand static env values (ExpandContainerCommandOnlyStatic)
    if shell:
        # In a shell script an unexpanded $(x) is command substitution: $(hostname) is meant.
        if source is None and not _SHELL_VARIABLE.match(name):
            return None
        if probes and source == "valueFrom":
            return TEXTS("shell-empty", name=name)
        return TEXTS("shell-command", name=name, quoted=quoted(name))
    if not re.fullmatch(r"[-._A-Za-z0-9]+", name):
        return None
    if probes and source == "valueFrom":
        return TEXTS("value-from")
    if not probes:
        return TEXTS("hook-literal", name=name)
    return TEXTS("not-static", quoted=quoted(name))
