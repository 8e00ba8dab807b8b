"""kprobelint: an offline linter for Kubernetes manifests that predicts Pod statuses."""

__version__ = "0.1.0"
