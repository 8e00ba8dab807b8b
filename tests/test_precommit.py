"""The pre-commit hook (.pre-commit-hooks.yaml), validated and run for real with try-repo.

``try-repo`` clones this checkout's tracked files (with their uncommitted changes) and builds
the hook's virtual environment with ``pip install .``, so the run test needs git and access to
a package index (as in CI); it takes about half a minute. A network failure makes it fail, not
skip.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lintutil import BROKEN_DEPLOYMENT

pytest.importorskip("pre_commit")

ROOT = Path(__file__).resolve().parents[1]

# The snippet the README shows for a project's .pre-commit-config.yaml. It sets no hook
# options, so the try-repo run below (the hook exactly as .pre-commit-hooks.yaml defines it)
# is what this snippet runs.
PRE_COMMIT_CONFIG = """\
repos:
  - repo: https://github.com/kprobelint/kprobelint
    rev: v0.1.0
    hooks:
      - id: kprobelint
"""

BAD = BROKEN_DEPLOYMENT  # a KPL103 error at 19:45
GOOD = """\
apiVersion: v1
kind: Pod
metadata:
  name: ok
spec:
  containers:
    - name: app
      image: nginx:1.27
"""
WORKFLOW = """\
name: ci
on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: make test
"""
CHART = """\
apiVersion: v2
name: demo
version: 0.1.0
"""
VALUES = """\
replicaCount: 1
image:
  repository: nginx
  tag: "1.27"
"""
TEMPLATE = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "demo.fullname" . }}
spec:
  replicas: {{ .Values.replicaCount }}
  template:
    spec:
      containers:
        - name: {{ .Chart.Name }}
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
"""
TSCONFIG = """\
{
  // comments and trailing commas: JSONC, not JSON
  "compilerOptions": {"strict": true, "target": "es2022",},
}
"""
VSCODE_SETTINGS = '{\n  // editor settings\n  "editor.tabSize": 2\n}\n'
TAB_INDENTED = "tools:\n\tlint: true\n"  # not a manifest, and not valid YAML either
BROKEN_MANIFEST = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [cfg\n"
SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  selector: {app: api}
  ports:
    - {port: 80, targetPort: 8080}
"""
API = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - name: api
          image: example/api:1.0
          ports: [{containerPort: 8080}]
"""
FILES = {
    "manifests/bad.yaml": BAD,
    "manifests/good.yaml": GOOD,
    "manifests/broken.yaml": BROKEN_MANIFEST,
    ".github/workflows/ci.yaml": WORKFLOW,
    "chart/Chart.yaml": CHART,
    "chart/values.yaml": VALUES,
    "chart/templates/deployment.yaml": TEMPLATE,
    "tsconfig.json": TSCONFIG,
    ".vscode/settings.json": VSCODE_SETTINGS,
    "tools.yaml": TAB_INDENTED,
    "app/service.yaml": SERVICE,
    "app/deployment.yaml": API,
}
FAILING = {"manifests/bad.yaml", "manifests/broken.yaml"}
# The Service and the Deployment it selects warn together (KPL150) only when pre-commit
# happens to put them in one batch: never in the run that must pass.
NOT_FAILING = [path for path in FILES if path not in FAILING and not path.startswith("app/")]


def pre_commit(*args: str, cwd: Path, env: dict[str, str] | None = None,
               timeout: int = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


FIXABLE = """\
apiVersion: v1
kind: Pod
metadata:
  name: fixable
spec:
  containers:
    - name: app
      image: example/app:1.0
      imagePullPolicy: always  # lower case: rejected
"""


def test_validate_manifest() -> None:
    proc = pre_commit("validate-manifest", ".pre-commit-hooks.yaml", cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_readme_config_snippet_is_valid(tmp_path: Path) -> None:
    config = tmp_path / ".pre-commit-config.yaml"
    config.write_text(PRE_COMMIT_CONFIG)
    proc = pre_commit("validate-config", str(config), cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    from ruamel.yaml import YAML  # noqa: PLC0415

    hooks = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text())
    (repo,) = YAML(typ="safe").load(PRE_COMMIT_CONFIG)["repos"]
    assert {h["id"] for h in repo["hooks"]} <= {h["id"] for h in hooks}


def test_readme_shows_the_config_snippet() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "```yaml\n" + PRE_COMMIT_CONFIG + "```\n" in readme


@pytest.fixture
def target(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A git repository with manifests and other YAML, all staged; and the env to run in."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed (pre-commit try-repo needs it)")
    repo = tmp_path / "target"
    for path, text in FILES.items():
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_text(text)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"), NO_COLOR="1",
               GIT_CONFIG_NOSYSTEM="1", HOME=str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    for command in (["git", "init", "-q"],
                    ["git", "config", "user.name", "kprobelint tests"],
                    ["git", "config", "user.email", "tests@kprobelint.invalid"],
                    ["git", "config", "commit.gpgsign", "false"],
                    ["git", "add", "-A"]):
        subprocess.run(command, cwd=repo, env=env, check=True, capture_output=True)
    return repo, env


def test_try_repo(target: tuple[Path, dict[str, str]]) -> None:
    repo, env = target
    # Every staged file: the broken manifest fails the hook, with its finding in the output.
    proc = pre_commit("try-repo", str(ROOT), "kprobelint", "--all-files", "--color", "never",
                      cwd=repo, env=env, timeout=600)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "kprobelint" in out and "Failed" in out
    assert "\nmanifests/bad.yaml:19:45: error KPL103 readinessProbe.httpGet.port" in out, out
    assert "\nmanifests/broken.yaml:4:1: error KPL001 invalid YAML" in out, out
    findings = set(re.findall(r"^(\S+):\d+:\d+: (?:error|warning|note) ", out, re.M))
    # app/deployment.yaml warns only when its Service lands in the same batch.
    assert findings - {"app/deployment.yaml"} == FAILING, out

    # Workflows, Chart.yaml, values and unrendered templates are not manifests: they pass,
    # and so does a correct manifest (the hook env is built, so this run is quick).
    proc = pre_commit("try-repo", str(ROOT), "kprobelint", "--color", "never",
                      "--files", *NOT_FAILING, cwd=repo, env=env, timeout=600)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert re.search(r"^kprobelint\.+Passed$", out, re.M), out

    # The whole-repository hook lints everything in one process: the Service in one file
    # selects the Deployment in another, so the missing readinessProbe is a warning there.
    proc = pre_commit("try-repo", str(ROOT), "kprobelint-all", "--color", "never",
                      "--files", "app/service.yaml", cwd=repo, env=env, timeout=600)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert re.search(r"^app/deployment\.yaml:\d+:\d+: warning KPL150 ", out, re.M), out
    assert "manifests/bad.yaml:19:45: error KPL103" in out  # not only the staged file

    # The fixing hook fixes in place; pre-commit fails the run because a file changed.
    fixable = repo / "manifests" / "fixable.yaml"
    fixable.write_text(FIXABLE)
    subprocess.run(["git", "add", "-A"], cwd=repo, env=env, check=True, capture_output=True)
    proc = pre_commit("try-repo", str(ROOT), "kprobelint-fix", "--color", "never",
                      "--files", "manifests/fixable.yaml", "manifests/bad.yaml", cwd=repo,
                      env=env, timeout=600)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1 and "files were modified by this hook" in out, out
    assert fixable.read_text() == FIXABLE.replace("Policy: always", "Policy: Always")
