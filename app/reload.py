"""Hot reload: watch the fixtures directory and swap in each good edit.

A background thread waits on filesystem events (watchfiles: inotify, debounced) and calls
``Sandbox.reload_fixtures``. A broken edit is refused with the same ``file:line`` message the
loader gives at start-up, logged, and the last good set keeps serving. Requests already in
flight keep the set they started with (the swap is one reference assignment).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Protocol

import watchfiles

from .errors import FixtureError

log = logging.getLogger("sandbox.reload")

DEBOUNCE_MS = 100
"""Events closer together than this are one reload (an editor's save is several events)."""


class Reloadable(Protocol):
    def reload_fixtures(self) -> object: ...


class FixtureWatcher:
    def __init__(self, root: Path, target: Reloadable) -> None:
        self.root = root
        self.target = target
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if not self.root.is_dir():
            log.warning("not watching %s: not a directory", self.root)
            return
        self._thread = threading.Thread(target=self._run, name="fixture-watcher", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)

    def reload(self) -> bool:
        """Reload now; False (and an error log) when the edit is refused."""
        try:
            loaded = self.target.reload_fixtures()
        except FixtureError as exc:
            log.error("fixtures NOT reloaded, the last good set keeps serving: %s", exc)
            return False
        summary = getattr(loaded, "summary", None)
        log.info("fixtures reloaded: %s", summary() if callable(summary) else loaded)
        return True

    def _run(self) -> None:
        try:
            for _changes in watchfiles.watch(
                self.root,
                stop_event=self._stop,
                debounce=DEBOUNCE_MS,
                step=50,
                raise_interrupt=False,
            ):
                self.reload()
        except Exception:  # the watcher must never take the server down
            log.exception("fixture watcher stopped; hot reload is off")
