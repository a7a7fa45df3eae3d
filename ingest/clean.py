"""Display-preserving cleanup of one document's text, with an offset map back to it.

`clean(text)` returns the text that structure detection and indexing read
(wraps repaired, noise lines dropped, one tone convention) together with, for
every output character, the position of the input character it came from.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Cleaned:
    """Cleaned text plus `origin[i]`: index in the source text of cleaned character i.

    >>> c = Cleaned("ab", (0, 5))
    >>> c.to_original(0, 2)
    (0, 6)
    """

    text: str
    origin: tuple[int, ...]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a cleaned span [start, end) to the smallest source span covering it."""
        if end <= start:
            pos = self.origin[start] if start < len(self.origin) else (self.origin[-1] + 1 if self.origin else 0)
            return pos, pos
        return self.origin[start], self.origin[end - 1] + 1
