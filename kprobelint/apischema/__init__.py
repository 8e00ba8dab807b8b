"""The Kubernetes API schema: what the API server decodes, offline.

``store`` loads the compact schema bundle shipped with the package (generated at development
time by ``generate`` from the JSON Schema conversions of the OpenAPI documents); ``crd`` turns
CustomResourceDefinitions into the same form; ``validate`` walks a loaded object against a
schema and reports :class:`~kprobelint.apischema.issues.SchemaIssue` records, which the
``schema`` rules turn into findings.
"""
