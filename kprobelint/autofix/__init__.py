"""``kprobelint fix``: correct findings in place, changing nothing but the fix.

Stages, each its own module:

* :mod:`.plan`: while a document is loaded, turn a finding's :class:`~kprobelint.findings.Fix`
  into exact text edits at the spans the loader gives every key and value (or say why not).
* :mod:`.render`: how a replacement is written where it goes (quoting style, JSON, flow or
  block).
* :mod:`.apply`: apply a file's edits, check that the result reads back as the same data
  except at the fixed fields, and encode it as the file was encoded.
* :mod:`.write`: replace a file atomically, never one that changed since it was read.
* :mod:`.run`: lint, fix, lint the fixed text again until nothing more can be fixed.
* :mod:`.messages`: every sentence ``fix`` prints, as templates with named parameters.
"""
