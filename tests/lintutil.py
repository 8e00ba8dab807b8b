"""Helpers shared by the tests: lint a YAML string through the real pipeline."""
from __future__ import annotations

from kprobelint.engine import DEFAULT_KUBE_VERSION, Selection
from kprobelint.findings import Finding
from kprobelint.runner import Options, lint

# A Deployment whose readinessProbe names a port the container does not declare: one
# KPL103 error at 19:45 (the value `http`).
BROKEN_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - {name: web, containerPort: 8080}
          readinessProbe:
            httpGet: {path: /healthz, port: http}
"""


def lint_text(text: str | bytes, select: tuple[str, ...] = (), kube_version: str | None = None,
              ignore: tuple[str, ...] = (), complete: bool = False) -> list[Finding]:
    data = text.encode("utf-8") if isinstance(text, str) else text
    selection = Selection(select, ignore, kube_version or DEFAULT_KUBE_VERSION)
    return lint(Options(["-"], selection, complete=complete), stdin=data).findings


def fix_text(text: str | bytes, select: tuple[str, ...] = (), unsafe: bool = True,
             kube_version: str | None = None):
    """``text`` after ``kprobelint fix`` (in memory, as for stdin), and the run's record."""
    from kprobelint.autofix.run import fix_paths

    data = text.encode("utf-8") if isinstance(text, str) else text
    selection = Selection(select, (), kube_version or DEFAULT_KUBE_VERSION)
    run = fix_paths(Options(["-"], selection), unsafe=unsafe, write=False, stdin=data)
    state = run.files.get("-")
    return (state.text if state is not None else data.decode("utf-8")), run


def fix_file(path, select: tuple[str, ...] = (), unsafe: bool = True, write: bool = True,
             **options):
    """Run ``kprobelint fix`` on files, in process; the run's record."""
    from kprobelint.autofix.run import fix_paths

    paths = [str(p) for p in (path if isinstance(path, (list, tuple)) else [path])]
    return fix_paths(Options(paths, Selection(select), **options), unsafe=unsafe, write=write)
