"""A text progress bar on stderr for the import commands."""

from __future__ import annotations

import sys
from typing import TextIO


class ProgressBar:
    def __init__(self, stream: TextIO | None = None, width: int = 40) -> None:
        self.stream = stream or sys.stderr
        self.width = width
        self.last = -1

    def __call__(self, fraction: float, label: str) -> None:
        percent = max(0, min(100, round(fraction * 100)))
        if percent == self.last:
            return
        self.last = percent
        filled = self.width * percent // 100
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (self.width - filled)}] {percent:3d} % {label:<40}"
        )
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\n")
        self.stream.flush()
