"""What an exec argv runs: the program, and the script a shell is given.

Shared by the probe, hook and termination checks (no checks are registered here).
"""
from __future__ import annotations

import re

from ..model import as_int  # noqa: F401  (re-exported: the checks take it from here)

# Interpreters that take a script with -c (PowerShell: -Command), and in which an unexpanded
# $(x) is command substitution (PowerShell: a subexpression).
SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "ksh", "mksh", "busybox-sh", "pwsh",
                    "pwsh.exe", "powershell", "powershell.exe"})


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
