"""Checks of the references area: from a container to ConfigMaps, Secrets, volumes, env vars,
and between names within a pod spec.

Two kinds of mistake live here (research/k8s-semantics.md sections 1, 6, 9 and 10):

* references the API server does not check, which fail on the node: a ConfigMap or Secret key
  that does not exist (CreateContainerConfigError for env, FailedMount for volumes),
  ``runAsNonRoot`` with user 0, a ``subPathExpr`` that expands to a path outside the volume.
  Whether an *object* exists can only be known for the input: an object absent from it may
  well exist in the cluster (made by an operator, by hand, by another chart), so that is a
  note unless ``--complete`` says the input is the whole application;
* references the API server does check: a volumeMount naming no volume, two containers with
  one name, two ports with one name in a container, a ``subPath`` leaving the volume. These
  are rejected on create; for a StatefulSet (whose pod template the API server does not
  validate) and for custom kinds they only fail when the controller creates Pods
  (FailedCreate).

Every value is checked with ``isinstance`` first: odd types are other rules' business.
"""
