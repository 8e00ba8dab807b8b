"""Message templates of the schema rules: whole sentences with named parameters, never
concatenated fragments, so that they can be translated (``kprobelint/i18n/zh/schema.yaml``).

Common parameters: ``key`` (the field's own name), ``kind`` (the object's kind),
``definition`` (the API type holding the field, e.g. ``Container``), ``refused`` (what the
API server does with a value its validation refuses: :data:`REFUSED`, or
:data:`REFUSED_IN_PODS` in a pod template that it validates only in the Pods made from it).
What a parameter says in words (``expected``, ``actual``, ``reading``, ``outcome``) is a
message of its own, rendered in the same language. The constants are the keys
:class:`~kprobelint.apischema.issues.SchemaIssue` records.
"""
from __future__ import annotations

from ..i18n import Templates

TYPE_MISMATCH = "type-mismatch"
TYPE_QUOTED_NUMBER = "type-quoted-number"
TYPE_QUOTED_BOOLEAN = "type-quoted-boolean"
TYPE_NOT_WHOLE = "type-not-whole"
TYPE_OUT_OF_RANGE = "type-out-of-range"
TYPE_NOT_BASE64 = "type-not-base64"
TYPE_NOT_QUANTITY = "type-not-quantity"
TYPE_STRING_EXPECTED = "type-string-expected"
YAML11_BOOLEAN = "yaml11-boolean"
YAML11_OCTAL = "yaml11-octal"
YAML11_NUMBER = "yaml11-number"
UNKNOWN_SUGGESTED = "unknown-suggested"
UNKNOWN_PLAIN = "unknown-plain"
VERSION_ADDED = "version-added"
VERSION_REMOVED = "version-removed"
REQUIRED_MISSING = "required-missing"
REQUIRED_EMPTY = "required-empty"
ENUM_INVALID = "enum-invalid"
ENUM_SUGGESTED = "enum-suggested"
FILE_MODE_DECIMAL = "file-mode-decimal"
FILE_MODE_RANGE = "file-mode-range"
REFUSED = "refused"
REFUSED_IN_PODS = "refused-in-pods"

TEXTS = Templates("schema", {
    # schema-type-mismatch
    TYPE_MISMATCH: (
        "`{key}` must be {expected}, not {actual}: the API server cannot decode the {kind} and "
        "rejects it"),
    TYPE_QUOTED_NUMBER: (
        "`{key}` must be {expected}, not the string {shown}: the API server cannot decode the "
        "{kind} and rejects it; remove the quotes: {replacement}"),
    TYPE_QUOTED_BOOLEAN: (
        "`{key}` must be true or false, not the string {shown}: the API server cannot decode the "
        "{kind} and rejects it; remove the quotes: {replacement}"),
    TYPE_NOT_WHOLE: (
        "`{key}` must be a whole number ({expected}), not {shown}: the API server cannot decode "
        "the {kind} and rejects it"),
    TYPE_OUT_OF_RANGE: (
        "`{key}` is {shown}, beyond the range of {expected} ({low} to {high}): the API server "
        "cannot decode the {kind} and rejects it"),
    TYPE_NOT_BASE64: (
        "`{key}` must be base64-encoded, but {shown} is not valid base64: the API server cannot "
        "decode the {kind} and rejects it; encode the value, or move it to `stringData` to give "
        "it as plain text"),
    TYPE_NOT_QUANTITY: (
        "`{key}` is {shown}, which is not a quantity (a number with an optional suffix such as "
        "500m, 128Mi or 1G): the API server cannot decode the {kind} and rejects it"),
    TYPE_STRING_EXPECTED: (
        "`{key}` must be a string, but {shown} is read as the {reading}: the API server cannot "
        "decode the {kind} and rejects it; quote it: {replacement}"),
    # what a field takes ({expected}), what it got ({actual}), how YAML read it ({reading})
    "expected-s": "a string",
    "expected-i": "an integer",
    "expected-i-format": "an integer ({format})",
    "expected-n": "a number",
    "expected-b": "true or false",
    "expected-o": "a mapping",
    "expected-a": "a list",
    "expected-ios": "an integer or a string",
    "expected-qty": "a quantity (a string such as 500m, or a number)",
    "actual-mapping": "a mapping",
    "actual-list": "a list",
    "actual-boolean": "the boolean {shown}",
    "actual-string": "the string {shown}",
    "actual-number": "the number {shown}",
    "reading-boolean": "boolean {shown}",
    "reading-number": "number {shown}",
    # yaml-1-1-implicit-type
    YAML11_BOOLEAN: (
        "`{text}` is read as the boolean {value} by kubectl and Helm (YAML 1.1), and `{key}` "
        "must be a string: the API server rejects the {kind}; quote it: {replacement}"),
    YAML11_OCTAL: (
        "`{text}` is read as the octal number {value} by kubectl and Helm (YAML 1.1), and "
        "`{key}` must be a string: the API server rejects the {kind}; quote it: {replacement}"),
    YAML11_NUMBER: (
        "`{text}` is read as the number {value} by kubectl and Helm (YAML), and `{key}` must be "
        "a string: the API server rejects the {kind}; quote it: {replacement}"),
    # unknown-field
    UNKNOWN_SUGGESTED: (
        "unknown field `{key}` in {definition} (did you mean `{suggestion}`?): kubectl's default "
        "strict validation rejects the {kind}; Helm and lenient clients drop the field, "
        "{outcome}"),
    UNKNOWN_PLAIN: (
        "unknown field `{key}` in {definition}: kubectl's default strict validation rejects the "
        "{kind}; Helm and lenient clients drop the field and ignore it"),
    "outcome-nothing": "which leaves no `{suggestion}` at all",
    "outcome-default": "so `{suggestion}` stays {default}",
    "outcome-unset": "which leaves `{suggestion}` unset",
    "outcome-kept": "and the `{suggestion}` written beside it applies",
    # field-not-in-version
    VERSION_ADDED: (
        "`{key}` does not exist in {definition} before Kubernetes {since} (target {version}): "
        "kubectl's default strict validation rejects the {kind}; Helm and lenient clients drop "
        "the field and ignore it"),
    VERSION_REMOVED: (
        "`{key}` no longer exists in {definition} in Kubernetes {version} (last in {until}): "
        "kubectl's default strict validation rejects the {kind}; Helm and lenient clients drop "
        "the field and ignore it"),
    # required-field-missing
    REQUIRED_MISSING: (
        "{definition} needs `{key}`, which is missing: {refused}"),
    REQUIRED_EMPTY: (
        "`{key}` is empty: a pod needs at least one container; {refused}"),
    # enum-value-invalid
    ENUM_INVALID: (
        "`{key}` is {shown}, which is not one of {allowed}: {refused}"),
    ENUM_SUGGESTED: (
        "`{key}` is {shown}, which is not one of {allowed} (values are case-sensitive; did you "
        "mean {suggestion}?): {refused}"),
    # what the API server does with a value its validation refuses ({refused})
    REFUSED: "the API server rejects the {kind}",
    REFUSED_IN_PODS: (
        "the API server accepts the {kind} (it does not validate its pod template) but refuses "
        "every Pod the controller creates (FailedCreate events)"),
    # file-mode-decimal
    FILE_MODE_DECIMAL: (
        "`{key}: {text}` is read as the decimal number {text} (octal {octal}), beyond the "
        "largest file mode 0777: {refused}; write the mode in octal, with a leading zero: "
        "{replacement}"),
    FILE_MODE_RANGE: (
        "`{key}` is {text}, outside the file modes 0 to 0777 (511): {refused}"),
})
