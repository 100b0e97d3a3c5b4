"""The inspector page in headless Chromium, one command at a time (tests/browser/inspector.mjs).

Used by tests/test_inspector_browser.py and scripts/inspector_screenshot.py. The driver is a
node process (playwright-core with Debian's /usr/bin/chromium); each call sends one JSON
command and waits for its JSON answer, so a test can send requests with the SDK between two
looks at the page.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any

BROWSER_DIR = Path(__file__).resolve().parent / "browser"
CHROMIUM = Path("/usr/bin/chromium")


def missing() -> list[str]:
    """Why the page cannot be driven here (empty: it can)."""
    return [
        why
        for why, ok in (
            ("/usr/bin/chromium is missing", CHROMIUM.exists()),
            ("node is missing", bool(shutil.which("node"))),
            ("tests/browser/node_modules is missing", (BROWSER_DIR / "node_modules").is_dir()),
        )
        if not ok
    ]


class PageError(AssertionError):
    pass


class InspectorPage:
    def __init__(self, timeout_ms: int = 15000, scale: int = 1) -> None:
        env = {
            **os.environ,
            "INSPECTOR_TIMEOUT": str(timeout_ms),
            "INSPECTOR_SCALE": str(scale),
        }
        self.timeout = timeout_ms / 1000 + 30
        self.process = subprocess.Popen(
            ["node", "inspector.mjs"],
            cwd=BROWSER_DIR,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        # Answers are read on a thread so a hung browser fails the test instead of hanging it.
        self._answers: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        assert self._answer()["value"] == "ready"

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._answers.put(line)
        self._answers.put("")

    def _answer(self) -> dict[str, Any]:
        try:
            line = self._answers.get(timeout=self.timeout)
        except queue.Empty:
            raise PageError("the browser driver did not answer in time") from None
        if not line:
            err = self.process.stderr.read() if self.process.stderr else ""
            raise PageError(f"the browser driver exited:\n{err}")
        return json.loads(line)

    def call(self, cmd: str, **args: Any) -> Any:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps({"cmd": cmd, **args}) + "\n")
        self.process.stdin.flush()
        answer = self._answer()
        if not answer["ok"]:
            log = "\n".join(answer.get("log") or [])
            raise PageError(f"{cmd} {args}: {answer['error']}\npage log:\n{log}")
        return answer["value"]

    # -- what tests say --------------------------------------------------------------------------
    def open(self, url: str) -> None:
        self.call("goto", url=url)
        self.wait('#conn[data-state="live"]')

    def wait(self, selector: str, state: str = "visible") -> None:
        self.call("wait", selector=selector, state=state)

    def text(self, selector: str) -> str:
        return self.call("text", selector=selector) or ""

    def texts(self, selector: str) -> list[str]:
        return self.call("texts", selector=selector)

    def count(self, selector: str) -> int:
        return self.call("count", selector=selector)

    def click(self, selector: str) -> None:
        self.call("click", selector=selector)

    def fill(self, selector: str, value: str) -> None:
        self.call("fill", selector=selector, value=value)

    def select(self, selector: str, value: str) -> None:
        self.call("select", selector=selector, value=value)

    def eval(self, expr: str) -> Any:
        return self.call("eval", expr=expr)

    def clipboard(self) -> str:
        return self.call("clipboard")

    def screenshot(self, path: Path) -> None:
        self.call("screenshot", path=str(path))

    def log(self) -> list[str]:
        return self.call("log")

    def row(self, request_id: str) -> str:
        """The list row of an exchange (waits until it is there)."""
        selector = f'.list-body .row[data-id="{request_id}"]'
        self.wait(selector)
        return selector

    def open_exchange(self, request_id: str) -> None:
        self.click(self.row(request_id))
        self.wait(f'.d-head .d-meta:has-text("{request_id}")')

    def close(self) -> None:
        process = self.process
        if process.poll() is None:
            try:
                assert process.stdin is not None
                process.stdin.write('{"cmd": "quit"}\n')
                process.stdin.flush()
                process.wait(15)
            except (OSError, subprocess.TimeoutExpired):
                process.kill()
                process.wait()
        for pipe in (process.stdin, process.stdout, process.stderr):
            if pipe is not None:
                pipe.close()
