"""Every sentence ``kprobelint fix`` prints, filled with ``template.format(**params)``.

Whole sentences with named parameters, never concatenated fragments, so that they can be
translated (issue 13). ``location`` is ``path:line:column``; ``rule`` a rule id; ``statuses``
the Pod statuses the finding predicts, joined with " or ".
"""

# What happened to one finding.
FIXED = "{location}: fixed {rule}: would be {statuses} ({change})"
WOULD_FIX = "{location}: would fix {rule}: would be {statuses} ({change})"
NOT_FIXED = "{location}: not fixed {rule}: {reason}"
CHANGE = "{old} → {new}"
ADDED = "add {pair}"

# Why a fix is not applied.
ALIAS = ("the value is shared through the YAML anchor &{anchor}, so fixing it here would "
         "change its other uses too; fix it by hand")
HELM = ("{file} is Helm output, generated from {template}: change the template, not the "
        "rendered file")
TAGGED = "the value has an explicit YAML tag ({tag}); fix it by hand"
KEY_EXISTS = "the mapping already has `{key}`; merge the two by hand"
LAYOUT = "the list is laid out in a way the fix does not rewrite; fix it by hand"
GONE = "`{field}` is no longer where the finding saw it"
CHANGED = "{path} changed since it was read; run kprobelint fix again"
SYMLINK = "{path} is a symbolic link; run kprobelint fix on the file it points to"
NOT_REGULAR = "{path} is not a regular file"
UNREADABLE = "cannot read {path}: {error}"
UNWRITABLE = "cannot write {path}: {error}"
NOT_SAME_DATA = ("the fixed document would not read back as the same data with only this "
                 "change, so it is left untouched")
NOT_PARSED = "the fixed file would not parse as it did before, so it is left untouched"
NOT_JSON = "the fixed file would no longer be valid JSON, so it is left untouched"
NOT_ENCODABLE = "the fix cannot be written in the file's encoding ({encoding})"
NOT_PLANNED = "the fix could not be worked out ({error}); please report it"
NOT_CONVERGED = ("fixing it did not settle after {rounds} rounds (please report it); fix it "
                 "by hand")
OVERLAP = "another fix changes the same text and was applied instead; fix this one by hand"

# Summaries, by count (``one`` for exactly 1).
FIXED_SUMMARY = {"one": "Fixed 1 problem in {files}.",
                 "other": "Fixed {count} problems in {files}."}
WOULD_FIX_SUMMARY = {"one": "Would fix 1 problem in {files}.",
                     "other": "Would fix {count} problems in {files}."}
FILES = {"one": "1 file", "other": "{count} files"}
NOTHING_FIXED = "No fixes applied."
NOTHING_TO_FIX = "Nothing to fix."
UNSAFE_HINT = {"one": "1 more fix is available with --unsafe-fixes.",
               "other": "{count} more fixes are available with --unsafe-fixes."}
NOT_FIXED_SUMMARY = {"one": "1 fixable problem was not fixed (see above).",
                     "other": "{count} fixable problems were not fixed (see above)."}

# The fixable mark of a finding in `check` reports.
FIXABLE = "fix: {change} (kprobelint fix)"
FIXABLE_UNSAFE = "unsafe fix: {change} (kprobelint fix --unsafe-fixes)"
SARIF_FIX = "Fix: {change} (kprobelint fix)."
SARIF_FIX_UNSAFE = ("Unsafe fix: {change} (kprobelint fix --unsafe-fixes; it changes behaviour "
                    "you may rely on).")
FIX_BY_HAND = "fix by hand: {reason}"
FIXABLE_SUMMARY = {"one": "[*] 1 problem is fixable with `kprobelint fix`",
                   "other": "[*] {count} problems are fixable with `kprobelint fix`"}
FIXABLE_SUMMARY_UNSAFE = {"one": " (1 more with --unsafe-fixes).",
                          "other": " ({count} more with --unsafe-fixes)."}
ONLY_UNSAFE_SUMMARY = {"one": "[*] 1 problem is fixable with `kprobelint fix --unsafe-fixes`.",
                       "other": "[*] {count} problems are fixable with "
                                "`kprobelint fix --unsafe-fixes`."}


def plural(forms: dict[str, str], count: int, **params: object) -> str:
    """The form of ``forms`` for ``count``, filled in."""
    return forms["one" if count == 1 else "other"].format(count=count, **params)


def statuses_text(statuses: tuple[str, ...]) -> str:
    return " or ".join(statuses) if statuses else "reported"
