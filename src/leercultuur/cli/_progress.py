"""A progress indicator on standard error (standard library only).

It appears only when the work takes longer than a second and standard error is a
terminal; otherwise it stays silent, so pipes, logs and tests see nothing.
"""

from __future__ import annotations

import threading
import time
from types import TracebackType
from typing import TextIO

__all__ = ["Progress"]

_FRAMES = "|/-\\"


class Progress:
    """A context manager that shows ``label`` with a spinner and the elapsed seconds.

    >>> import io
    >>> with Progress(io.StringIO(), "scoring") as p:
    ...     p.stage("writing")
    >>> p.shown
    False
    """

    def __init__(self, stream: TextIO, label: str, *, delay: float = 1.0) -> None:
        """Watch the work; draw on *stream* after *delay* seconds if it is a terminal."""
        self.stream = stream
        self.label = label
        self.delay = delay
        self.shown = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._start = 0.0
        isatty = getattr(stream, "isatty", None)
        self.enabled = bool(isatty and isatty())

    def stage(self, label: str) -> None:
        """Change the label (e.g. from ``reading`` to ``scoring``)."""
        self.label = label

    def _run(self) -> None:
        if self._stop.wait(self.delay):
            return
        frame = 0
        while not self._stop.is_set():
            elapsed = time.monotonic() - self._start
            self.stream.write(f"\r{_FRAMES[frame % 4]} {self.label} ... {elapsed:4.0f} s ")
            self.stream.flush()
            self.shown = True
            frame += 1
            self._stop.wait(0.2)

    def __enter__(self) -> Progress:
        """Start watching."""
        self._start = time.monotonic()
        if self.enabled:
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop, and clear the line if anything was drawn."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self.shown:
            self.stream.write("\r" + " " * 60 + "\r")
            self.stream.flush()
