"""How env vars and volume items name their sources and keys (KPL515-KPL517)."""
from __future__ import annotations

import textwrap

import pytest
from lintutil import lint_text


def pod(containers: str, spec: str = "") -> str:
    body = textwrap.indent(textwrap.dedent(containers).strip("\n"), "    ")
    extra = textwrap.indent(textwrap.dedent(spec).strip("\n"), "  ") + "\n" if spec else ""
    return (f"apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n  containers:\n{body}\n"
            f"{extra}")


def messages(text: str, rule: str) -> list[str]:
    return [f.message for f in lint_text(text, (rule,))]


@pytest.mark.parametrize(("env", "says"), [
    ("{name: A, valueFrom: {}}", "names no source"),
    ("{name: A, value: x, valueFrom: {fieldRef: {fieldPath: metadata.name}}}",
     'beside a non-empty value "x"'),
    ("{name: A, valueFrom: {fieldRef: {fieldPath: metadata.name}, "
     "resourceFieldRef: {resource: limits.cpu}}}", "names 2 sources (fieldRef, resourceFieldRef)"),
])
def test_value_sources_the_api_server_rejects(env, says):
    [message] = messages(pod(f"- {{name: c, image: a:1, env: [{env}]}}"), "KPL515")
    assert says in message and message.endswith("the API server rejects the Pod")


@pytest.mark.parametrize("env", [
    "{name: A, value: x}",
    "{name: A, value: '', valueFrom: {fieldRef: {fieldPath: metadata.name}}}",
    "{name: A, valueFrom: null}",
    "{name: A, valueFrom: {fileKeyRef: {path: a.env, key: A, volumeName: v}}}",
])
def test_value_sources_that_are_fine(env):
    assert messages(pod(f"- {{name: c, image: a:1, env: [{env}]}}"), "KPL515") == []


def test_env_from_needs_exactly_one_source():
    both = pod("- {name: c, image: a:1, envFrom: [{configMapRef: {name: a}, "
               "secretRef: {name: b}}, {prefix: X_}]}")
    assert [m.split("] ")[1].split(";")[0] for m in messages(both, "KPL515")] == [
        "names both configMapRef and secretRef (it takes exactly one per entry)",
        "names neither configMapRef nor secretRef (it needs exactly one)"]


@pytest.mark.parametrize(("ref", "says"), [
    ("{name: cfg, key: ''}", "key is empty"),
    ("{name: cfg}", "key is empty"),
    ("{name: cfg, key: a b}", "may contain only"),
    ("{name: cfg, key: ..x}", "must not start with '..'"),
    ("{name: cfg, key: '.'}", "must not be"),
    ("{key: a}", "name is missing"),
    ("{name: '', key: a}", "is not a valid object name"),
    ("{name: My_Config, key: a}", "is not a valid object name"),
])
def test_key_references_the_api_server_rejects(ref, says):
    env = f"[{{name: A, valueFrom: {{configMapKeyRef: {ref}}}}}]"
    [message] = messages(pod(f"- {{name: c, image: a:1, env: {env}}}"), "KPL516")
    assert says in message


def test_helm_placeholder_release_name_is_not_a_name_error():
    env = "[{name: A, valueFrom: {secretKeyRef: {name: RELEASE-NAME-db, key: password}}}]"
    assert messages(pod(f"- {{name: c, image: a:1, env: {env}}}"), "KPL516") == []


VOLUME = """\
volumes:
  - name: v
    {source}
"""


@pytest.mark.parametrize(("source", "rule", "says"), [
    ("configMap: {name: c, items: [{key: '', path: a}]}", "KPL516", "items[0].key is empty"),
    ("secret: {secretName: s, items: [{path: a}]}", "KPL516", "items[0].key is empty"),
    ("configMap: {name: c, items: [{key: a/b, path: a}]}", "KPL517",
     "can never be a key of a ConfigMap"),
    ("projected: {sources: [{secret: {name: s, items: [{key: 'a b', path: x}]}}]}", "KPL517",
     "projected.sources[0].secret.items[0].key"),
])
def test_volume_item_keys(source, rule, says):
    text = pod("- {name: c, image: a:1, volumeMounts: [{name: v, mountPath: /v}]}",
               VOLUME.format(source=source))
    [message] = messages(text, rule)
    assert says in message


def test_unmountable_item_key_is_fine_when_optional_or_unmounted():
    optional = pod("- {name: c, image: a:1, volumeMounts: [{name: v, mountPath: /v}]}",
                   VOLUME.format(source="configMap: {name: c, optional: true, "
                                        "items: [{key: a/b, path: a}]}"))
    assert messages(optional, "KPL517") == []
    unmounted = pod("- {name: c, image: a:1}",
                    VOLUME.format(source="configMap: {name: c, items: [{key: a/b, path: a}]}"))
    assert messages(unmounted, "KPL517") == []
