"""Translation upkeep: ``python -m kprobelint.i18n check [LANG]`` lists what a language lacks
or translates from an older English text; ``python -m kprobelint.i18n stamp FILE...`` records,
once a translation has been reviewed against the current English, which English it
translates (its ``source`` digests).
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from . import DEFAULT, LANGUAGES
from .completeness import problems
from .prose import rule_digest, status_digest


def stamp(path: Path) -> int:
    """Write the current English digests into the translation file ``path``."""
    from ..catalogue import load_catalogue  # noqa: PLC0415
    from ..ruleset import parse_rule, read_rule_file  # noqa: PLC0415

    text = path.read_text(encoding="utf-8")
    match = re.fullmatch(r"(.+)\.([a-z]{2})\.yaml", path.name)
    if match is None:
        raise SystemExit(f"{path}: not a translation file (NAME.LANG.yaml)")
    if match.group(1) == "catalogue":
        count = 0
        for status in load_catalogue().values():
            block = re.compile(rf"(^  {re.escape(status.name)}:\n    source: )\S*", re.M)
            text, found = block.subn(rf'\g<1>"{status_digest(status)}"', text)
            count += found
    else:
        english = path.with_name(f"{match.group(1)}.yaml")
        rule = parse_rule(read_rule_file(english), english.name)
        # Quoted: a digest such as 0119578060e8 is a number to YAML.
        text, count = re.subn(r"^source: \S*", f'source: "{rule_digest(rule)}"', text,
                              count=1, flags=re.M)
    path.write_text(text, encoding="utf-8")
    return count


def main(args: list[str]) -> int:
    if args[:1] == ["stamp"] and args[1:]:
        for name in args[1:]:
            print(f"{name}: {stamp(Path(name))} stamped")
        return 0
    if args[:1] == ["check"]:
        found = []
        for lang in args[1:] or [lang for lang in LANGUAGES if lang != DEFAULT]:
            found += problems(lang)
        print("\n".join(found) or "every translation is complete and current")
        return 1 if found else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
