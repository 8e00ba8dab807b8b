"""What an exec argv runs: the program, the script a shell is given, its simple commands.

Shared by the probe, lifecycle and restart checks. A container's own argv counts only when
``command`` is written: without it the image's entrypoint runs, which a manifest cannot see.
"""
from __future__ import annotations

import json
import os
import re
import shlex

from ...findings import Fix
from ...i18n import Message, Templates
from ...lazyregex import LazyPattern

TEXTS = Templates("commands", {
    "split": "; split it into separate items ({items})",
    "split-or-shell": (
        "; split it into separate items ({items}) or run it through a shell ([sh, -c, \"...\"])"),
})

# Interpreters that take a script with -c (PowerShell: -Command), and in which an unexpanded
# $(x) is command substitution (PowerShell: a subexpression).
SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "ksh", "mksh", "busybox-sh", "pwsh",
                    "pwsh.exe", "powershell", "powershell.exe"})

# Shell text we do not try to reason about: control flow, subshells, substitutions, pipes,
# background jobs. A script with any of these is skipped rather than guessed at.
_COMPLEX_SHELL = LazyPattern(
    r"`|\$\(|<\(|>\(|\|"  # substitutions, pipes and ||
    r"|(?<!&)&(?!&)"  # a lone & (background job)
    r"|[(){}]"
)
# Words that open or continue compound commands, when they start a command.
_SHELL_KEYWORDS = frozenset({
    "if", "then", "else", "elif", "fi", "while", "until", "for", "do", "done", "case", "esac",
    "function", "select", "trap", "wait", "!", "[[",
})
_SEPARATORS = LazyPattern(r";|&&|\n")


# Programs that run the rest of their argv as a command (after their own options, and "--").
EXEC_WRAPPERS = frozenset({"env", "tini", "dumb-init", "catatonit"})


def executable_name(word: str) -> str:
    """The file name an argv word runs (``/bin/sleep`` -> ``sleep``)."""
    return os.path.basename(word)


def program(argv: list) -> tuple[str, int]:
    """The program an argv runs (basename, lowercase) and its index, looking through ``env``."""
    for index, word in enumerate(argv):
        if not isinstance(word, str):
            return "", index
        name = word.rsplit("/", 1)[-1].lower()
        if index == 0 and name == "env":
            continue
        if index > 0 and (word.startswith("-") or "=" in word):
            continue  # env's options and VAR=value assignments
        return name, index
    return "", len(argv)


def is_shell(argv: list) -> bool:
    return program(argv)[0] in SHELLS


def script_index(argv: list) -> int | None:
    """Index of the script a shell runs (the item after ``-c``, ``-ec``, ``-Command``...)."""
    name, index = program(argv)
    if name not in SHELLS:
        return None
    powershell = name.startswith(("pwsh", "powershell"))
    for position in range(index + 1, len(argv) - 1):
        flag = argv[position]
        if not isinstance(flag, str) or not flag.startswith("-"):
            return None
        if (flag.lower() in ("-c", "-command") if powershell
                else re.fullmatch(r"-[A-Za-z]{0,4}c[A-Za-z]{0,4}", flag)):
            return position + 1
    return None


def shell_script(argv: list) -> str | None:
    """The script of ``sh -c SCRIPT`` (also ``bash -ec``, ``/bin/sh -c``), else None."""
    index = script_index(argv)
    script = argv[index] if index is not None else None
    return script if isinstance(script, str) else None


def script_commands(script: str) -> list[str] | None:
    """The simple commands of a script run one after another, or None if it is not that simple."""
    if _COMPLEX_SHELL.search(script):
        return None
    commands = [c for c in (part.strip() for part in _SEPARATORS.split(script)) if c]
    if any(c.split()[0] in _SHELL_KEYWORDS for c in commands):
        return None
    return commands


def exec_argv(action: object) -> list | None:
    """The non-empty ``command`` list of an ``exec`` action, whatever its items are."""
    command = action.get("command") if isinstance(action, dict) else None
    return command if isinstance(command, list) and command else None


def string_argv(argv: object) -> list[str] | None:
    """``argv`` when it is a non-empty list of strings only, else None."""
    if not isinstance(argv, list) or not argv or not all(isinstance(a, str) for a in argv):
        return None
    return argv


def hook_argv(hook: dict) -> list[str] | None:
    """The exec argv of a probe or hook, when it is a non-empty list of strings."""
    return string_argv(exec_argv(hook.get("exec")))


def container_argv(data: dict) -> list[str] | None:
    """A container's own ``command`` + ``args``, when ``command`` is written and all strings.

    Without ``command`` the image's entrypoint runs, which a manifest cannot see.
    """
    command, args = data.get("command"), data.get("args")
    if not isinstance(command, list) or not command:
        return None
    if args is not None and not isinstance(args, list):
        return None
    return string_argv(command + (args or []))


def executed_word(argv: list) -> int | None:
    """Index of the argv item that is looked up as an executable: the first, or the one an
    exec wrapper (env, tini, dumb-init) runs after its options, ``--`` and ``VAR=value``."""
    if not argv or not isinstance(argv[0], str):
        return None
    if executable_name(argv[0]).lower() not in EXEC_WRAPPERS:
        return 0
    for index in range(1, len(argv)):
        word = argv[index]
        if not isinstance(word, str):
            return None
        if word == "--" or word.startswith("-") or "=" in word.split(" ", 1)[0]:
            continue
        return index
    return None


def run_in_shell(path: tuple, word: str) -> Fix:
    """The automatic fix of an argv that is one string with spaces: ``[sh, -c, "..."]``.

    A string that already starts a shell with one script (``sh -c 'sleep 5'``) is split into
    those three items; any other runs as the shell line it looks like. Only for a one-item
    argv: with more items the others would become the script's $0, $1...
    """
    words = _shell_words(word)
    items = words if words and len(words) == 3 and words[1] == "-c" and is_shell(words) \
        else ["sh", "-c", word]
    quoted = [item if item in ("sh", "-c") else json.dumps(item, ensure_ascii=False)
              for item in items]
    return Fix("replace-item", path, f"[{', '.join(quoted)}]")


def _shell_words(word: str) -> list[str]:
    """``word`` split as a shell would, or on blanks when its quotes do not balance."""
    try:
        return shlex.split(word)
    except ValueError:
        return word.split()


def unsplit_fix(word: str) -> Message | str:
    """How to fix an argv item that holds a whole command line: the items it should be."""
    words = _shell_words(word)
    if not words:
        return ""
    shown = [w if w and re.fullmatch(r"[-\w./:=@+%,]+", w) else f'"{w}"' for w in words[:4]]
    listed = f"[{', '.join(shown)}{', ...' if len(words) > 4 else ''}]"
    return TEXTS("split" if is_shell(words) else "split-or-shell", items=listed)
