"""Every sentence ``kprobelint fix`` prints, as templates with named parameters.

Whole sentences, never concatenated fragments, so that they can be translated
(``kprobelint/i18n/zh/fix.yaml``). ``location`` is ``path:line:column``; ``rule`` a rule id;
``statuses`` the Pod statuses the finding predicts, listed with "or". The constants are the
keys; :func:`text` and :func:`plural` make the messages.
"""
from __future__ import annotations

from ..i18n import Items, Message, Templates

FIXED = "fixed"
WOULD_FIX = "would-fix"
NOT_FIXED = "not-fixed"
CHANGE = "change"
ADDED = "added"
ALIAS = "alias"
HELM = "helm"
TAGGED = "tagged"
KEY_EXISTS = "key-exists"
LAYOUT = "layout"
GONE = "gone"
CHANGED = "changed"
SYMLINK = "symlink"
NOT_REGULAR = "not-regular"
UNREADABLE = "unreadable"
UNWRITABLE = "unwritable"
NOT_SAME_DATA = "not-same-data"
NOT_PARSED = "not-parsed"
NOT_JSON = "not-json"
NOT_ENCODABLE = "not-encodable"
NOT_PLANNED = "not-planned"
NOT_CONVERGED = "not-converged"
OVERLAP = "overlap"
FIXED_SUMMARY = "fixed-summary"
WOULD_FIX_SUMMARY = "would-fix-summary"
FILES = "files"
NOTHING_FIXED = "nothing-fixed"
NOTHING_TO_FIX = "nothing-to-fix"
UNSAFE_HINT = "unsafe-hint"
NOT_FIXED_SUMMARY = "not-fixed-summary"
FIXABLE = "fixable"
FIXABLE_UNSAFE = "fixable-unsafe"
SARIF_FIX = "sarif-fix"
SARIF_FIX_UNSAFE = "sarif-fix-unsafe"
FIX_BY_HAND = "fix-by-hand"
FIXABLE_SUMMARY = "fixable-summary"
FIXABLE_SUMMARY_UNSAFE = "fixable-summary-unsafe"
ONLY_UNSAFE_SUMMARY = "only-unsafe-summary"

TEXTS = Templates("fix", {
    "fixed": "{location}: fixed {rule}: would be {statuses} ({change})",
    "would-fix": "{location}: would fix {rule}: would be {statuses} ({change})",
    "not-fixed": "{location}: not fixed {rule}: {reason}",
    "change": "{old} → {new}",
    "added": "add {pair}",
    "alias": (
        "the value is shared through the YAML anchor &{anchor}, so fixing it here would change "
        "its other uses too; fix it by hand"),
    "helm": (
        "{file} is Helm output, generated from {template}: change the template, not the "
        "rendered file"),
    "tagged": "the value has an explicit YAML tag ({tag}); fix it by hand",
    "key-exists": "the mapping already has `{key}`; merge the two by hand",
    "layout": "the list is laid out in a way the fix does not rewrite; fix it by hand",
    "gone": "`{field}` is no longer where the finding saw it",
    "changed": "{path} changed since it was read; run kprobelint fix again",
    "symlink": "{path} is a symbolic link; run kprobelint fix on the file it points to",
    "not-regular": "{path} is not a regular file",
    "unreadable": "cannot read {path}: {error}",
    "unwritable": "cannot write {path}: {error}",
    "not-same-data": (
        "the fixed document would not read back as the same data with only this change, so it "
        "is left untouched"),
    "not-parsed": "the fixed file would not parse as it did before, so it is left untouched",
    "not-json": "the fixed file would no longer be valid JSON, so it is left untouched",
    "not-encodable": "the fix cannot be written in the file's encoding ({encoding})",
    "not-planned": "the fix could not be worked out ({error}); please report it",
    "not-converged": (
        "fixing it did not settle after {rounds} rounds (please report it); fix it by hand"),
    "overlap": "another fix changes the same text and was applied instead; fix this one by hand",
    "fixed-summary-one": "Fixed 1 problem in {files}.",
    "fixed-summary-other": "Fixed {count} problems in {files}.",
    "would-fix-summary-one": "Would fix 1 problem in {files}.",
    "would-fix-summary-other": "Would fix {count} problems in {files}.",
    "files-one": "1 file",
    "files-other": "{count} files",
    "nothing-fixed": "No fixes applied.",
    "nothing-to-fix": "Nothing to fix.",
    "unsafe-hint-one": "1 more fix is available with --unsafe-fixes.",
    "unsafe-hint-other": "{count} more fixes are available with --unsafe-fixes.",
    "not-fixed-summary-one": "1 fixable problem was not fixed (see above).",
    "not-fixed-summary-other": "{count} fixable problems were not fixed (see above).",
    "fixable": "fix: {change} (kprobelint fix)",
    "fixable-unsafe": "unsafe fix: {change} (kprobelint fix --unsafe-fixes)",
    "sarif-fix": "Fix: {change} (kprobelint fix).",
    "sarif-fix-unsafe": (
        "Unsafe fix: {change} (kprobelint fix --unsafe-fixes; it changes behaviour you may rely"
        " on)."),
    "fix-by-hand": "fix by hand: {reason}",
    # {more} is empty, or the unsafe fixes there are besides (fixable-summary-unsafe)
    "fixable-summary-one": "[*] 1 problem is fixable with `kprobelint fix`{more}.",
    "fixable-summary-other": "[*] {count} problems are fixable with `kprobelint fix`{more}.",
    "fixable-summary-unsafe-one": " (1 more with --unsafe-fixes)",
    "fixable-summary-unsafe-other": " ({count} more with --unsafe-fixes)",
    "only-unsafe-summary-one": "[*] 1 problem is fixable with `kprobelint fix --unsafe-fixes`.",
    "only-unsafe-summary-other": (
        "[*] {count} problems are fixable with `kprobelint fix --unsafe-fixes`."),
    "reported": "reported",
})


def text(name: str, /, **params: object) -> Message:
    """The message ``name`` with its parameters."""
    return TEXTS(name, **params)


def plural(name: str, count: int, /, **params: object) -> Message:
    """The form of ``name`` for ``count`` (``-one`` for exactly 1, else ``-other``)."""
    return TEXTS(f"{name}-{'one' if count == 1 else 'other'}", count=count, **params)


def statuses_text(statuses: tuple[str, ...]) -> Items | Message:
    return Items(tuple(statuses), "or") if statuses else TEXTS("reported")
