"""kprobelint: an offline linter for Kubernetes manifests that predicts Pod statuses."""
from .deferredinspect import import_dataclasses_without_inspect

__version__ = "0.1.0"

import_dataclasses_without_inspect()
