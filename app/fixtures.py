"""Load a fixtures directory into a ``FixtureSet``: validated, compiled, indexed, immutable.

Files are every ``*.yaml`` / ``*.yml`` under the directory (recursively, hidden names and the
catalogue's ``models.yaml`` excepted), read in path order. Each is read and validated with the
models in ``fixture_models`` by ``fixture_source``, then its rules are compiled here; any problem
raises ``FixtureError`` naming the file, the line, the key and what is allowed. Nothing here
knows HTTP; the sandbox swaps whole sets atomically.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import fixture_models as fm
from .catalogue import CATALOGUE_FILE
from .conditions import Condition, compile_match, conjunction
from .errors import FixtureError
from .fixture_source import FixtureSource
from .matching import Index, index_key, needs_tool, required_literal
from .predicates import Captures, CompileError, Loc
from .ratelimits import RATE_LIMITS_FILE
from .request_view import RequestView
from .templates import TemplateError, compile_value, has_templates, new_environment

RESERVED = frozenset({CATALOGUE_FILE, RATE_LIMITS_FILE})
"""Top-level YAML files other modules own (model catalogue, rate limits)."""
SUFFIXES = (".yaml", ".yml")
GENERATE = "<generate>"
"""Marker left in a tool_use block's ``input`` when it is generated from the tool's schema."""


@dataclass(frozen=True)
class ReplyTemplate:
    """A reply as written: content blocks whose strings may be ``templates.Text``."""

    content: list[dict[str, Any]]
    stop_reason: str | None = None
    stop_sequence: str | None = None
    stop_details: dict[str, Any] | None = None
    usage: dict[str, Any] = field(default_factory=dict)
    model: str | None = None
    apply_limits: bool = True


@dataclass(frozen=True)
class ErrorTemplate:
    type: str
    status: int | None
    message: Any
    """str or ``templates.Text``."""
    headers: dict[str, str]
    error_code: str | None


@dataclass(frozen=True)
class Action:
    """One thing a rule (or a script step) does."""

    reply: ReplyTemplate | None = None
    error: ErrorTemplate | None = None
    stream: fm.Stream | None = None
    templated: bool = field(init=False)
    """Some string of the reply or error is a template: only then does playback build the
    template context (which reads many request facts)."""

    def __post_init__(self) -> None:
        templated = (self.reply is not None and has_templates(self.reply.content)) or (
            self.error is not None and has_templates(self.error.message)
        )
        object.__setattr__(self, "templated", templated)


@dataclass(frozen=True)
class Rule:
    id: str
    rank: tuple[int, int]
    """(-priority, position): lower ranks first."""
    conditions: tuple[Condition, ...]
    test: Callable[[RequestView, Captures], bool]
    """All conditions at once, cheapest first (see ``matching.conjunction``)."""
    index_key: tuple[str, str] | None
    needle: str
    """A substring the last user text must contain ("" when none is known)."""
    needs_tool: bool
    """Only a request offering a tool can match (see ``matching.needs_tool``)."""
    toolless_needle: str
    """``needle`` for a request offering no tools (can be longer: see ``required_literal``)."""
    where: str
    """``file:line`` of the rule, for explanations."""
    steps: tuple[Action, ...]
    advance: str | None = None
    """None for a plain reply/error; ``turn`` or ``session`` for a script."""
    after: str = "repeat_last"
    stream: fm.Stream | None = None


@dataclass(frozen=True)
class FixtureSet:
    root: Path
    rules: tuple[Rule, ...] = ()
    files: tuple[str, ...] = ()
    strict: bool | None = None
    stream: fm.Stream | None = None
    models: tuple[dict[str, Any], ...] = ()
    index: Index = field(default_factory=lambda: Index([]))

    def summary(self) -> str:
        scripts = sum(1 for r in self.rules if r.advance)
        return (
            f"{len(self.rules)} rules ({scripts} scripts) in {len(self.files)} files"
            f"{f', {len(self.models)} extra models' if self.models else ''} under {self.root}"
        )


def load_fixture_set(root: Path) -> FixtureSet:
    """Load and compile every fixture file under ``root`` (raises FixtureError)."""
    root = Path(root)
    if not root.is_dir():
        raise FixtureError("fixtures directory not found", file=str(root))
    env = new_environment()
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    files: list[str] = []
    models: list[dict[str, Any]] = []
    strict: bool | None = None
    stream: fm.Stream | None = None
    for path in fixture_files(root):
        files.append(str(path))
        source = FixtureSource(path, root)
        doc = source.model()
        compiler = _Compiler(source, env)
        if doc.defaults is not None:
            if doc.defaults.strict is not None:
                strict = doc.defaults.strict
            if doc.defaults.stream is not None:
                stream = merge_stream(stream, doc.defaults.stream)
        models.extend(doc.models)
        for i, raw in enumerate(doc.rules):
            loc: Loc = ("rules", i)
            if raw.id in seen:
                source.fail((*loc, "id"), f"duplicate rule id `{raw.id}` (first at {seen[raw.id]})")
            rule = compiler.rule(raw, loc, len(rules))
            seen[raw.id] = rule.where
            rules.append(rule)
    return FixtureSet(
        root=root,
        rules=tuple(rules),
        files=tuple(files),
        strict=strict,
        stream=stream,
        models=tuple(models),
        index=Index.of(rules),
    )


def fixture_files(root: Path) -> list[Path]:
    found = []
    for path in root.rglob("*"):
        rel = path.relative_to(root)
        if path.suffix not in SUFFIXES or any(p.startswith(".") for p in rel.parts):
            continue
        if rel.as_posix() in RESERVED or not path.is_file():
            continue
        found.append(path)
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


def merge_stream(base: fm.Stream | None, over: fm.Stream | None) -> fm.Stream | None:
    """``over``'s given keys on top of ``base``."""
    if base is None or over is None:
        return over or base
    return base.model_copy(update={k: getattr(over, k) for k in over.model_fields_set})


class _Compiler:
    """Turns one file's validated rules into ``Rule``s; any problem points at its line."""

    def __init__(self, source: FixtureSource, env: Any) -> None:
        self.source = source
        self.env = env

    def rule(self, raw: fm.Rule, loc: Loc, position: int) -> Rule:
        at = int(loc[1])
        line = self.source.rule_lines[at] if at < len(self.source.rule_lines) else None
        where = f"{self.source.path}:{line}"
        try:
            conditions = compile_match(raw.match, (*loc, "match"))
        except CompileError as exc:
            raise self.source.error(exc.loc, exc.message) from None
        if raw.script is not None:
            steps = tuple(
                self.action(s.reply, s.error, s.stream, (*loc, "script", "steps", i))
                for i, s in enumerate(raw.script.steps)
            )
            advance: str | None = raw.script.advance
            after = raw.script.after
        else:
            steps = (self.action(raw.reply, raw.error, None, loc),)
            advance, after = None, "repeat_last"
        return Rule(
            id=raw.id,
            rank=(-raw.priority, position),
            conditions=conditions,
            test=conjunction(conditions),
            index_key=index_key(raw.match),
            needle=required_literal(raw.match),
            needs_tool=needs_tool(raw.match),
            toolless_needle=required_literal(raw.match, toolless=True),
            where=where,
            steps=steps,
            advance=advance,
            after=after,
            stream=raw.stream,
        )

    def action(
        self,
        reply: fm.Reply | None,
        error: fm.Error | None,
        stream: fm.Stream | None,
        loc: Loc,
    ) -> Action:
        if error is not None:
            message = self.compile(error.message or "", (*loc, "error", "message"))
            headers = {k.lower(): _header_value(v) for k, v in (error.headers or {}).items()}
            return Action(
                error=ErrorTemplate(error.type, error.status, message, headers, error.error_code),
                stream=stream,
            )
        assert reply is not None
        return Action(reply=self.reply(reply, (*loc, "reply")), stream=stream)

    def reply(self, reply: fm.Reply, loc: Loc) -> ReplyTemplate:
        if reply.content is not None:
            blocks = [self.block(b, (*loc, "content", i)) for i, b in enumerate(reply.content)]
        else:
            text = reply.text
            if reply.text_file is not None:
                text = self.read_file(reply.text_file, (*loc, "text_file"))
            blocks = [{"type": "text", "text": self.compile(text or "", (*loc, "text"))}]
        return ReplyTemplate(
            content=blocks,
            stop_reason=reply.stop_reason,
            stop_sequence=reply.stop_sequence,
            stop_details=reply.stop_details,
            usage=dict(reply.usage or {}),
            model=reply.model,
            apply_limits=reply.apply_limits,
        )

    def block(self, block: Any, loc: Loc) -> dict[str, Any]:
        out: dict[str, Any] = block.model_dump(exclude_none=True, by_alias=True)
        kind = out["type"]
        if kind == "text":
            if "text_file" in out:
                out["text"] = self.read_file(out.pop("text_file"), (*loc, "text_file"))
            out.setdefault("text", "")
        elif kind == "thinking":
            if "thinking_file" in out:
                out["thinking"] = self.read_file(out.pop("thinking_file"), (*loc, "thinking_file"))
            out.setdefault("thinking", "")
        elif kind in ("tool_use", "server_tool_use", "mcp_tool_use"):
            if out.pop("generate", False):
                out["input"] = GENERATE
            else:
                out.setdefault("input", {})
        return self.compile(out, loc)

    def compile(self, value: Any, loc: Loc) -> Any:
        try:
            return compile_value(self.env, value)
        except TemplateError as exc:
            lineno = getattr(exc, "lineno", None)
            detail = f" (template line {lineno})" if lineno and lineno > 1 else ""
            raise self.source.error(loc, f"template error: {exc}{detail}") from None

    def read_file(self, relative: str, loc: Loc) -> str:
        target = (self.source.path.parent / relative).resolve()
        if not target.is_relative_to(self.source.root.resolve()):
            raise self.source.error(loc, f"`{relative}` points outside the fixtures directory")
        try:
            return target.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise self.source.error(
                loc, f"cannot read `{relative}`: {exc.__class__.__name__}"
            ) from None


def _header_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
