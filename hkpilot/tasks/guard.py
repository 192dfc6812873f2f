"""Stop a reply that has started to loop.

Small models sometimes repeat a line or a whole block until the token limit. The guard
watches the text as it streams; when the same substantial line has come three times,
or the last stretch of text already appeared earlier, the task stops the stream and
keeps the text up to where the repetition began.
"""

from __future__ import annotations

_MIN_LINE = 8
_TAIL = 120


class LoopGuard:
    def __init__(self) -> None:
        self.text = ""
        self._counts: dict[str, int] = {}
        self._done_lines = 0
        self.cut_at: int | None = None

    def feed(self, piece: str) -> bool:
        """Add ``piece``; True once the reply is looping (``cut_at`` then says where to cut)."""
        self.text += piece
        lines = self.text.split("\n")
        for line in lines[self._done_lines : -1]:  # complete lines only
            key = line.strip()
            if len(key) >= _MIN_LINE:
                self._counts[key] = self._counts.get(key, 0) + 1
                if self._counts[key] >= 3:
                    self.cut_at = self.text.find(line, self.text.find(line) + len(line))
                    return True
            self._done_lines += 1
        if len(self.text) >= 3 * _TAIL:
            tail = self.text[-_TAIL:]
            first = self.text.find(tail)
            if first + _TAIL < len(self.text) - _TAIL:  # the tail also appears well before the end
                second = self.text.find(tail, first + 1)
                self.cut_at = second if second > 0 else len(self.text) - _TAIL
                return True
        return False

    def result(self) -> str:
        return (self.text[: self.cut_at] if self.cut_at is not None else self.text).rstrip()
