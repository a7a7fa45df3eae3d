"""Exceptions that carry a message naming the problem and the fix."""

from __future__ import annotations


class VanbanError(Exception):
    """Base class: every expected failure a user can act on."""


class IngestError(VanbanError):
    """A file could not be turned into documents.

    >>> str(IngestError("a.pdf", "encrypted PDF; decrypt it first"))
    'a.pdf: encrypted PDF; decrypt it first'
    """

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class IndexStateError(VanbanError):
    """An index directory is missing, locked, corrupt or built with other settings."""
