"""Errors that end a run with exit code 2 (usage or configuration), never a traceback."""


class UsageError(Exception):
    """A mistake in how kprobelint was called or configured: exit code 2."""
