"""Claude Code itself (the pinned ``@anthropic-ai/claude-code`` CLI) against a sandbox.

    python tests/compat/claude_code_checks.py [path/to/claude]

Run by tests/compat/run.sh with the interpreter that has the app's dependencies: unlike the
other drivers this one starts its own sandbox, because it needs the rules in
``claude_code/fixtures`` loaded next to the shipped ones and a journal that only Claude Code
writes to (every request it sends must be accepted). Claude Code runs in print mode in a
throwaway HOME and working directory, so the Bash tool it is told to run touches nothing else.
The binary: the argument, else ``$CLAUDE_CODE_BIN``, else ``claude`` on PATH.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from harness import Checks, expect

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
KEY = "sk-ant-compat-claude-code"
# Bounds a run that loops (a tool_use answered with another tool_use forever).
MAX_TURNS = "4"
TIMEOUT = 60.0

checks = Checks()


class Sandbox:
    """A sandbox on a free port serving the shipped fixtures plus the Claude Code rules."""

    def __init__(self, work: Path) -> None:
        fixtures = work / "fixtures"
        shutil.copytree(ROOT / "fixtures", fixtures)
        shutil.copytree(HERE / "claude_code" / "fixtures", fixtures / "compat-claude-code")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        env = {
            **os.environ,
            "SANDBOX_HOST": "127.0.0.1",
            "SANDBOX_PORT": str(port),
            "SANDBOX_FIXTURES": str(fixtures),
            "SANDBOX_DATA_DIR": str(work / "data"),
            "SANDBOX_API_KEYS": KEY,
            "SANDBOX_RELOAD": "0",
            "SANDBOX_LOG_LEVEL": "warning",
        }
        self.log = (work / "server.log").open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "messages_sandbox", "serve"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        # Generous: on a loaded machine the imports alone can take many seconds.
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(self.url + "/health", timeout=1)
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("the sandbox did not start") from None
                time.sleep(0.05)

    def journal(self) -> list[dict[str, Any]]:
        """Every request so far, oldest first."""
        with urllib.request.urlopen(self.url + "/_sandbox/requests", timeout=5) as answer:
            return list(reversed(json.load(answer)["data"]))

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


class ClaudeCode:
    """Runs ``claude -p`` against the sandbox; every run starts a fresh journal slice."""

    def __init__(self, binary: str, sandbox: Sandbox, work: Path) -> None:
        self.binary = binary
        self.sandbox = sandbox
        self.cwd = work / "project"
        self.cwd.mkdir()
        # Only what Claude Code needs: no real credentials or config leak in from the caller.
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(work / "home"),
            "ANTHROPIC_BASE_URL": sandbox.url,
            "ANTHROPIC_API_KEY": KEY,
            "CLAUDE_CODE_MAX_TURNS": MAX_TURNS,
            "DISABLE_TELEMETRY": "1",
            "DISABLE_ERROR_REPORTING": "1",
            "DISABLE_AUTOUPDATER": "1",
            "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
        }
        self.seen = 0

    def run(self, prompt: str, *args: str) -> tuple[str, list[dict[str, Any]]]:
        """Claude Code's stdout and the requests it sent; fails on a non-zero exit."""
        done = subprocess.run(
            [self.binary, "-p", prompt, *args],
            cwd=self.cwd,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
        journal = self.sandbox.journal()
        sent, self.seen = journal[self.seen :], len(journal)
        expect(
            done.returncode == 0,
            f"exit {done.returncode}: {(done.stderr or done.stdout).strip()[-300:]}",
        )
        return done.stdout, sent


def _messages(entry: dict[str, Any]) -> list[dict[str, Any]]:
    body = entry.get("body")
    return body.get("messages") or [] if isinstance(body, dict) else []


def _tool_result_texts(entry: dict[str, Any]) -> list[str]:
    texts = []
    for message in _messages(entry):
        for block in message.get("content") or ():
            if isinstance(block, dict) and block.get("type") == "tool_result":
                content = block.get("content")
                texts.append(content if isinstance(content, str) else json.dumps(content))
    return texts


def register(claude: ClaudeCode) -> None:
    @checks.check
    def print_mode_answers_from_a_fixture() -> str:
        out, sent = claude.run("compat: say hi", "--model", "haiku")
        expect(out.strip() == "Hi from the sandbox.", f"printed {out.strip()[:200]!r}")
        rules = {e.get("rule") for e in sent if e.get("status") == 200}
        expect("compat-claude-code-hi" in rules, f"rules {rules}")
        return f"{len(sent)} request(s)"

    @checks.check
    def default_responder_answers_json_output() -> str:
        out, _ = claude.run("say hi", "--model", "haiku", "--output-format", "json")
        result = json.loads(out)
        expect(result.get("subtype") == "success" and not result.get("is_error"), out[:300])
        expect(result.get("result"), f"empty result: {out[:300]}")
        usage = result.get("usage") or {}
        expect(usage.get("output_tokens", 0) > 0, f"usage {usage}")
        return f"{result.get('num_turns')} turn(s), usage parsed"

    @checks.check
    def every_model_alias_is_served() -> str:
        models = []
        for alias in ("sonnet", "opus", "fable"):
            _, sent = claude.run(f"compat: say hi ({alias})", "--model", alias)
            models += sorted({str((e.get("body") or {}).get("model")) for e in sent})
        return ", ".join(models)

    @checks.check
    def bash_tool_runs_and_its_result_ends_the_turn() -> str:
        allow = ("--allowedTools", "Bash(echo sandbox)")
        out, sent = claude.run("compat: run the sandbox echo", "--model", "haiku", *allow)
        results = [t for e in sent for t in _tool_result_texts(e)]
        expect(any(t.strip() == "sandbox" for t in results), f"tool results sent: {results[:3]}")
        expect(
            out.strip() == "The command printed: sandbox",
            f"printed {out.strip()[:200]!r} after {len(sent)} request(s); rules "
            f"{[e.get('rule') for e in sent]}",
        )
        return f"{len(sent)} request(s)"

    @checks.check
    def no_request_is_refused() -> str:
        journal = claude.sandbox.journal()
        refused: dict[str, int] = {}
        for e in journal:
            if (e.get("status") or 0) >= 400:
                why = f"{e.get('status')} {e.get('path')}: {(e.get('error') or {}).get('message')}"
                refused[why] = refused.get(why, 0) + 1
        expect(not refused, "; ".join(f"{n}x {why}" for why, n in refused.items()))
        return f"{len(journal)} requests, all accepted"


def main() -> int:
    binary = (sys.argv[1:] or [os.environ.get("CLAUDE_CODE_BIN") or "claude"])[0]
    if shutil.which(binary) is None:
        print(f"skip  claude-code: no {binary!r} to run")
        return 0
    with tempfile.TemporaryDirectory(prefix="compat-claude-code-") as tmp:
        work = Path(tmp)
        sandbox = Sandbox(work)
        try:
            register(ClaudeCode(binary, sandbox, work))
            return checks.run("claude-code")
        finally:
            sandbox.stop()


if __name__ == "__main__":
    sys.exit(main())
