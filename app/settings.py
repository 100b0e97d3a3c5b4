"""Configuration: read once (environment + CLI), then passed down explicitly.

Every variable has the ``SANDBOX_`` prefix and is read by pydantic-settings when a ``Settings``
is made (``Settings.from_env()`` by the CLI, or a test with explicit values, which win over
the environment); the result is handed to ``create_app``. The field docstrings are the
descriptions of the README table (``scripts/gen_settings_table.py``) and of ``--help``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, ValidationError
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PREFIX = "SANDBOX_"


def _comma_list(value: Any) -> Any:
    if isinstance(value, str):
        return tuple(k.strip() for k in value.split(",") if k.strip())
    return value


def _optional(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip() or None
    return value


def _url(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    url = value.strip().rstrip("/")
    if not url:
        return None
    if not url.startswith(("http://", "https://")) or "?" in url or "#" in url:
        raise ValueError("expected an absolute http(s) URL such as https://sandbox.example:8080")
    return url


def _state_url(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    url = value.strip()
    if not url:
        return None
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise ValueError("expected a Redis URL such as redis://localhost:6379/0")
    return url


def _thread_features(value: Any) -> Any:
    from .threads import FEATURES

    names = _comma_list(value)
    unknown = [n for n in names if n not in FEATURES]
    if unknown:
        raise ValueError(f"unknown feature {unknown[0]!r} (known: {', '.join(FEATURES)})")
    return names


def _lines(value: Any) -> Any:
    # Not commas: a regex may hold one (``\d{1,3}``).
    if isinstance(value, str):
        return tuple(line for line in value.splitlines() if line.strip())
    return value


# Comma-separated in the environment (``a,b``), not JSON: ``NoDecode`` keeps pydantic-settings
# from parsing the value as JSON first.
CommaList = Annotated[tuple[str, ...], NoDecode, BeforeValidator(_comma_list)]
ThreadFeatures = Annotated[tuple[str, ...], NoDecode, BeforeValidator(_thread_features)]
LineList = Annotated[tuple[str, ...], NoDecode, BeforeValidator(_lines)]
OptionalText = Annotated[str | None, BeforeValidator(_optional)]
"""Empty (``SANDBOX_X=`` from a compose file) means unset."""
Url = Annotated[str | None, BeforeValidator(_url)]
StateUrl = Annotated[str | None, BeforeValidator(_state_url)]


class Settings(BaseSettings):
    """Everything the server can be told. Field docs double as the README table."""

    # The field docs (attribute docstrings) are read by ``documented_settings`` when the
    # README table is made, not at each start (``docstrings``).
    model_config = SettingsConfigDict(env_prefix=PREFIX, frozen=True, extra="forbid")

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
    api_keys: CommaList = Field(default=(), repr=False)
    """Comma list of accepted API keys; empty means any non-empty key is accepted."""
    strict: bool = False
    """Strict mode: unmatched requests get a 400 near-miss report; unknown betas are refused."""
    cors_allow_any_origin: bool = False
    """Serve browsers from any origin even without ``anthropic-dangerous-direct-browser-access``."""
    log_level: str = "info"
    """uvicorn / app log level."""
    stream_chunk_size: int = 16
    """About this many characters per ``text_delta``, whole tokens (``input_json_delta``: exact)."""
    signing_key: str = Field(default="messages-sandbox", repr=False)
    """Secret for thinking-block signatures; the same key verifies them on later turns."""
    graceful_timeout: float = 5.0
    """Seconds in-flight streams get to finish on SIGTERM."""
    read_timeout: float = 30.0
    """Seconds a client has to send a whole request (headers and body); then 408."""
    reload: bool = True
    """Watch the fixtures directory and hot-reload it."""
    batch_delay: float = 0.0
    """Seconds a Message Batch stays ``in_progress`` (0: it ends at the first read after create)."""
    rate_limits: str = ""
    """Per-key limits ``requests=N,input_tokens=N,output_tokens=N``; empty: off (docs/tokens.md)."""
    rate_limit_window: float = 60.0
    """Seconds a request and its tokens count against the rate limits (short in tests)."""
    thread_capacity: int = 10_000
    """Replies kept for message threads; the least recently used go first (``thread_not_found``)."""
    thread_unsupported: ThreadFeatures = ()
    """Comma list of features threads refuse (``thinking,cache_control``): tests SDK fallbacks."""
    journal_size: int = 1000
    """Requests kept in the journal (``GET /_sandbox/requests``); 0 keeps none."""
    journal_file: Path | None = None
    """Also append each journal entry (secrets masked) to this JSONL file, e.g. a CI artifact."""
    upstream: str = "https://api.anthropic.com"
    """Where ``record`` and ``serve --record-on-miss`` forward requests."""
    record_on_miss: bool = False
    """Forward requests no fixture rule matches upstream, record them and serve them next time."""
    record_dir: Path | None = None
    """Where recordings go (``record --out``; record-on-miss: the fixtures dir, or inside it)."""
    redact: LineList = ()
    """Regexes whose matches are recorded as ``<redacted>`` (one per line; CLI ``--redact``)."""
    unknown_fields: Literal["reject", "warn"] = "reject"
    """Unknown request keys: ``reject`` (a 400, as the API does) or ``warn`` (dropped, logged)."""
    session_idle: float = 3600.0
    """Seconds after which a session nobody used is forgotten (its steps, hits, rules, settings)."""
    session_capacity: int = 10_000
    """Sessions kept at most; beyond it the least recently used is forgotten first."""
    admin_hosts: CommaList = ()
    """Comma list of Host names, besides loopback ones, that `/_sandbox/` answers (``*``: any)."""
    admin_token: OptionalText = Field(default=None, repr=False)
    """When set, every `/_sandbox/` route needs it: ``x-sandbox-admin-token`` or ``Bearer``."""
    public_url: Url = None
    """Base URL of absolute links handed out (batch ``results_url``); unset: a trusted Host."""
    state_url: StateUrl = Field(default=None, repr=False)
    """``redis://host:port/db``: state in Redis, shared by workers and replicas; unset: memory."""
    state_prefix: str = "msbx"
    """Prefix of every Redis key (several sandboxes can share one Redis under different ones)."""
    workers: int = 1
    """Worker processes (``serve --workers``); above 1 needs ``SANDBOX_STATE_URL``."""

    @classmethod
    def from_env(cls, **overrides: Any) -> Settings:
        """``SANDBOX_*`` variables, with the given overrides on top (None: not given). A bad
        value stops the program with the variable's name and what is wrong with it."""
        try:
            return cls(**{k: v for k, v in overrides.items() if v is not None})
        except ValidationError as exc:
            problems = "; ".join(
                f"{PREFIX}{'.'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors()
            )
            raise SystemExit(f"invalid setting: {problems}") from None

    def fixtures_dir(self) -> Path:
        return self.fixtures if self.fixtures is not None else shipped_fixtures()

    def resolved_data_dir(self) -> Path:
        if self.data_dir is not None:
            return self.data_dir
        return Path(tempfile.mkdtemp(prefix="messages-sandbox-"))


def shipped_fixtures() -> Path:
    """The example fixtures shipped with the package: ``messages_sandbox/examples`` in an
    installed wheel; in a source checkout (an editable install) the top-level ``fixtures/``
    that the wheel copies them from."""
    package = Path(__file__).resolve().parent
    installed = package / "examples"
    return installed if installed.is_dir() else package.parent / "fixtures"


def _show(default: Any) -> str:
    if default is None:
        return "(unset)"
    if isinstance(default, tuple | str) and not default:
        return "(empty)"
    if isinstance(default, tuple):
        return ",".join(default)
    if isinstance(default, bool):
        return "1" if default else "0"
    return str(default)


def documented_settings() -> list[tuple[str, str, str]]:
    """(env var, default, description) rows, for the README and its docs test."""
    from .docstrings import attribute_docstrings

    docs = attribute_docstrings(Settings)
    return [
        (PREFIX + name.upper(), _show(field.default), field.description or docs.get(name, ""))
        for name, field in Settings.model_fields.items()
    ]
