"""Configuration: read once (environment + CLI), then passed down explicitly.

Every variable has the ``SANDBOX_`` prefix. Nothing here is read at import time;
``Settings.from_env()`` is called by the CLI (or by a test) and the result is handed
to ``create_app``.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

PREFIX = "SANDBOX_"


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _keys(value: str) -> tuple[str, ...]:
    return tuple(k.strip() for k in value.split(",") if k.strip())


def _thread_features(value: str) -> tuple[str, ...]:
    from .threads import FEATURES

    names = _keys(value)
    unknown = [n for n in names if n not in FEATURES]
    if unknown:
        raise ValueError(f"unknown feature {unknown[0]!r} (known: {', '.join(FEATURES)})")
    return names


@dataclass(frozen=True)
class Settings:
    """Everything the server can be told. Field docs double as the README table."""

    host: str = "127.0.0.1"
    """Interface to listen on (``0.0.0.0`` inside a container)."""
    port: int = 8080
    """TCP port."""
    fixtures: Path | None = None
    """Directory of YAML fixture files (searched recursively); unset: the shipped examples."""
    builtin_models: bool = True
    """Start from the built-in model catalogue (your ``models.yaml`` extends it); 0: yours only."""
    data_dir: Path | None = None
    """Where uploaded files and batches are stored; a fresh temp dir when unset."""
    api_keys: tuple[str, ...] = ()
    """Comma list of accepted API keys; empty means any non-empty key is accepted."""
    strict: bool = False
    """Strict mode: unmatched requests get a 400 near-miss report; unknown betas are refused."""
    cors_allow_any_origin: bool = False
    """Serve browsers from any origin even without ``anthropic-dangerous-direct-browser-access``."""
    log_level: str = "info"
    """uvicorn / app log level."""
    stream_chunk_size: int = 16
    """Characters per ``text_delta`` (and per ``input_json_delta`` fragment) in streams."""
    signing_key: str = "messages-sandbox"
    """Secret for thinking-block signatures; the same key verifies them on later turns."""
    graceful_timeout: float = 5.0
    """Seconds in-flight streams get to finish on SIGTERM."""
    reload: bool = True
    """Watch the fixtures directory and hot-reload it."""
    batch_delay: float = 0.0
    """Seconds a Message Batch stays ``in_progress`` (0: it ends at the first read after create)."""
    rate_limits: str = ""
    """Per-key limits ``requests=N,input_tokens=N,output_tokens=N``; empty: off (docs/tokens.md)"""
    rate_limit_window: float = 60.0
    """Seconds a request and its tokens count against the rate limits (short in tests)."""
    thread_capacity: int = 10_000
    """Replies kept for message threads; the least recently used go first (``thread_not_found``)."""
    thread_unsupported: tuple[str, ...] = ()
    """Comma list of features threads refuse (``thinking,cache_control``): tests SDK fallbacks."""
    journal_size: int = 1000
    """Requests kept in the journal (``GET /_sandbox/requests``); 0 keeps none."""
    journal_file: Path | None = None
    """Also append each journal entry (secrets masked) to this JSONL file, e.g. a CI artifact."""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Build settings from ``SANDBOX_*`` variables, then apply explicit overrides."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(PREFIX + f.name.upper())
            if raw is None:
                continue
            values[f.name] = _convert(f.name, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def fixtures_dir(self) -> Path:
        return self.fixtures if self.fixtures is not None else shipped_fixtures()

    def resolved_data_dir(self) -> Path:
        if self.data_dir is not None:
            return self.data_dir
        return Path(tempfile.mkdtemp(prefix="messages-sandbox-"))


_CONVERTERS: dict[str, Any] = {
    "port": int,
    "fixtures": Path,
    "data_dir": Path,
    "api_keys": _keys,
    "builtin_models": _bool,
    "strict": _bool,
    "cors_allow_any_origin": _bool,
    "stream_chunk_size": int,
    "graceful_timeout": float,
    "reload": _bool,
    "batch_delay": float,
    "rate_limit_window": float,
    "thread_capacity": int,
    "thread_unsupported": _thread_features,
    "journal_size": int,
    "journal_file": Path,
}


def shipped_fixtures() -> Path:
    """The example fixtures shipped with the package: ``messages_sandbox/examples`` in an
    installed wheel; in a source checkout (an editable install) the top-level ``fixtures/``
    that the wheel copies them from."""
    package = Path(__file__).resolve().parent
    installed = package / "examples"
    return installed if installed.is_dir() else package.parent / "fixtures"


def _convert(name: str, raw: str) -> Any:
    conv = _CONVERTERS.get(name, str)
    try:
        return conv(raw)
    except ValueError as exc:
        raise SystemExit(f"{PREFIX}{name.upper()}={raw!r}: {exc}") from None


def _show(default: Any) -> str:
    if default is None:
        return "(unset)"
    if isinstance(default, tuple):
        return ",".join(default) or "(empty)"
    if isinstance(default, bool):
        return "1" if default else "0"
    return str(default)


def documented_settings() -> list[tuple[str, str, str]]:
    """(env var, default, description) rows, for the README and its docs test."""
    import ast
    import inspect

    source = inspect.getsource(Settings)
    tree = ast.parse(source)
    docs: dict[str, str] = {}
    body = tree.body[0].body  # type: ignore[attr-defined]
    for node, nxt in itertools.pairwise(body):
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and isinstance(nxt, ast.Expr)
            and isinstance(nxt.value, ast.Constant)
        ):
            docs[node.target.id] = str(nxt.value.value)
    rows = []
    for f in fields(Settings):
        rows.append((PREFIX + f.name.upper(), _show(f.default), docs.get(f.name, "")))
    return rows
