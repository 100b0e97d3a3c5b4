"""One recording run: its exchanges, the rules they make, and the YAML file that holds them.

Each added exchange rewrites the whole file (a temporary file in the same directory, then
``os.replace``), so the file on disk is always a complete, loadable fixture file, and a
reader (the hot reload of ``serve --record-on-miss``) never sees half of one. Only finished
exchanges are added: a stream the client walked away from leaves the file as it was.

From the exchanges: ``match.separate`` gives each distinct request its match; the answers of
requests it cannot tell apart (the same request sent again: a retry after a 529, a test run
twice) become one rule's script, played in order (``advance: session``), unless they are
all the same answer. A model the sandbox's catalogue does not know is added under
``models:`` (with what ``GET /v1/models`` said about it, if the client asked), so the
replay accepts it.
"""

from __future__ import annotations

import os
import re
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ..request import RequestView
from .document import render
from .exchange import Exchange, Rule, action_of, exchange_rule, without_ids
from .match import separate

# Deliberate choice: a model the catalogue does not know accepted whatever the recorded
# requests sent, so its entry is permissive.
PERMISSIVE_MODEL = {
    "sampling_params": True,
    "thinking": ["adaptive", "enabled", "disabled", "between_tools"],
    "prefill": True,
}
_MODEL_INFO_KEYS = ("display_name", "created_at", "max_tokens", "max_input_tokens")


class Recording:
    """Exchanges of one run, written to ``path`` after each one (thread-safe)."""

    def __init__(
        self,
        path: Path,
        *,
        source: str,
        tag: str,
        known_model: Callable[[str], bool] = lambda name: True,
    ) -> None:
        self.path = path
        self.source = source
        """Where the answers came from, for the file's header comment."""
        self.tag = tag
        """Makes this run's rule ids unique beside other runs' in the same directory."""
        self.known_model = known_model
        self.exchanges: list[Exchange] = []
        self.model_info: dict[str, Mapping[str, Any]] = {}
        """What the upstream's ``GET /v1/models`` said, by model id."""
        self._lock = threading.Lock()
        self.started = time.time()

    def add(self, exchange: Exchange) -> None:
        """Keep ``exchange`` and rewrite the file (raises OSError when it cannot)."""
        with self._lock:
            self.exchanges.append(exchange)
            try:
                self._write(self.document())
            except BaseException:
                self.exchanges.pop()
                raise

    def saw_models(self, infos: list[Mapping[str, Any]]) -> None:
        for info in infos:
            if isinstance(info, Mapping) and isinstance(info.get("id"), str):
                self.model_info[info["id"]] = info

    def rules(self) -> list[Rule]:
        exchanges = self.exchanges
        matches, owner = separate([e.request for e in exchanges])
        rules: list[Rule] = []
        for index, exchange in enumerate(exchanges):
            if owner[index] != index:
                continue
            mine = [e for i, e in enumerate(exchanges) if owner[i] == index]
            rule_id = f"{slug(exchange)}-{self.tag}-{len(rules) + 1}"
            rule = exchange_rule(exchange, rule_id=rule_id, match=matches[index])
            rule.notes.insert(0, _provenance(exchange))
            if len({without_ids(action_of(e)[0]) for e in mine}) > 1:
                rule = _script(rule, mine)
            rules.append(rule)
        return rules

    def models(self) -> list[dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for exchange in self.exchanges:
            name = str(exchange.request.get("model", ""))
            if not name or name in out or self.known_model(name):
                continue
            info = self.model_info.get(name, {})
            entry: dict[str, Any] = {"id": name, "display_name": name, "created_at": "2025-01-01"}
            entry.update({k: info[k] for k in _MODEL_INFO_KEYS if info.get(k) is not None})
            out[name] = {**entry, **PERMISSIVE_MODEL}
        return list(out.values())

    def document(self) -> str:
        header = [
            f"Recorded by messages-sandbox from {self.source}, started {iso(self.started)}.",
            "Replay: messages-sandbox serve --fixtures <this directory> (SANDBOX_STRICT=1 in CI).",
            "A rule per distinct request; edit freely (see fixtures/README.md).",
        ]
        return render(header, self.rules(), self.models())

    def _write(self, text: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Hidden and not .yaml: neither the loader nor the watcher's reload reads it.
        tmp = self.path.with_name(f".{self.path.name}.{secrets.token_hex(4)}.tmp")
        try:
            with tmp.open("x", encoding="utf-8") as out:  # "x": the umask's mode, never reused
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise


def _script(rule: Rule, exchanges: list[Exchange]) -> Rule:
    body = {k: v for k, v in rule.body.items() if k not in ("reply", "error", "stream")}
    steps = []
    notes = [rule.notes[0]]
    for step, exchange in enumerate(exchanges, start=1):
        action, step_notes = action_of(exchange)
        steps.append(action)
        if step > 1:
            notes.append(f"step {step}: {_provenance(exchange)}")
        notes.extend(f"step {step}: {note}" for note in step_notes)
    # Deliberate choice: the same request answered differently is replayed in the order it
    # was answered, per session (a retry test sees its 529 again, then the success).
    body["script"] = {"advance": "session", "after": "repeat_last", "steps": steps}
    return Rule(body, notes)


def _provenance(exchange: Exchange) -> str:
    rid = exchange.request_id or "no request-id"
    return f"recorded {iso(exchange.at)} from {rid}"


def iso(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


_SLUG = re.compile(r"[^a-z0-9]+")


def slug(exchange: Exchange) -> str:
    """A readable id stem: the first words of the last user text (or the turn)."""
    view = RequestView(exchange.request)
    words = _SLUG.sub("-", view.last_user_text.lower()).strip("-")[:40].rstrip("-")
    return words or f"turn-{view.turn}"
