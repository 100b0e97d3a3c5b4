"""Generate ``app/schema/generated.py`` (the request-body schema) from the installed SDK.

Run ``make schema`` (``python scripts/gen_schema.py``) after bumping the pinned SDK. ``--check``
exits 1 when the committed file is stale. The SDK is a build/dev dependency only: the generated
module imports nothing but pydantic and typing.

Why generate instead of validating the SDK's TypedDicts directly: those are written for type
checkers. Extra keys would be ignored, ``Iterable[...]`` fields are validated lazily (a bad nested
block passes), and unions are plain ``Union``s that make pydantic try every member and report the
errors of all of them. So the walk below rebuilds every reachable TypedDict with

* ``extra="forbid"`` (unless the SDK itself allows extra keys, e.g. a tool's JSON schema);
* ``list[...]`` for ``Iterable`` / ``Sequence`` / ``SequenceNotStr``;
* unions of objects as tagged unions on their ``type`` (or ``role``) literal, dispatched by a
  small callable so that a tool without ``type`` still reaches the custom tool, and a variant
  owning several literals (``tool_search_tool_bm25`` / ``..._20251119``) is reachable by each;
* unions of different JSON kinds (``str | list[...]``) dispatched on the Python type of the value;
* ``Literal[...] | str`` as ``str``; ``TypedDict | Dict[str, object]`` as the TypedDict; the SDK's
  file-input arms (``IO``, ``PathLike``) dropped: the wire only carries strings;
* the SDK's *response* block models merged into the request block of the same ``type``, because
  clients echo ``response.content`` back verbatim (response-only keys such as ``caller`` or
  ``citations: null`` must pass).

Tags that must not appear in error paths (message roles, JSON kinds) start with ``~``; the
validators drop them from ``loc`` so paths read like the real API's (``messages.0.content.1...``).

The few rules the SDK types do not carry but the real API enforces live in the override table
below (``CONSTRAINTS``, ``ADDED_FIELDS``, ``REMOVED_FIELDS``, ``EXTRA_ALLOWED``), never as hand
edits of the output. The walk fails loudly on any type shape it does not know.

The walk lives in ``scripts/schema_gen/`` (``ir``, ``walker``, ``emitter``); this script holds
what to generate (``ROOTS``) and the override table, and runs them.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import anthropic
from schema_gen.emitter import Emitter
from schema_gen.walker import Converter, Overrides

REPO = Path(__file__).resolve().parents[1]
OUTPUT = REPO / "app" / "schema" / "generated.py"

# Public name in generated.py -> the SDK TypedDict it is generated from.
ROOTS: dict[str, str] = {
    "MessageCreateParams": "anthropic.types.message_create_params:MessageCreateParamsBase",
    "BetaMessageCreateParams": "anthropic.types.beta.message_create_params:MessageCreateParamsBase",
    "MessageCountTokensParams": (
        "anthropic.types.message_count_tokens_params:MessageCountTokensParams"
    ),
    "BetaMessageCountTokensParams": (
        "anthropic.types.beta.message_count_tokens_params:MessageCountTokensParams"
    ),
}
_GA_CREATE = ROOTS["MessageCreateParams"]
_BETA_CREATE = ROOTS["BetaMessageCreateParams"]
_GA_COUNT = ROOTS["MessageCountTokensParams"]
_BETA_COUNT = ROOTS["BetaMessageCountTokensParams"]

# ---------------------------------------------------------------------------------------------
# Override table: what the real API enforces beyond the SDK's types. Keys are SDK classes as
# "module:qualname" plus a field; every entry must be used (a renamed SDK type fails loudly).
# ---------------------------------------------------------------------------------------------

_TOOL_NAME = {"pattern": r"^[a-zA-Z0-9_-]{1,128}$"}  # real error text in the spec, §7.5
_BUDGET = {"ge": 1024}  # "budget_tokens of at least 1,024" (SDK docstring + real error text)
_MAX_TOKENS = {"ge": 0}  # 0 is valid: it pre-warms the prompt cache without generating

CONSTRAINTS: dict[tuple[str, str], dict[str, object]] = {
    ("anthropic.types.tool_param:ToolParam", "name"): _TOOL_NAME,
    ("anthropic.types.beta.beta_tool_param:BetaToolParam", "name"): _TOOL_NAME,
    (
        "anthropic.types.thinking_config_enabled_param:ThinkingConfigEnabledParam",
        "budget_tokens",
    ): _BUDGET,
    (
        "anthropic.types.beta.beta_thinking_config_enabled_param:BetaThinkingConfigEnabledParam",
        "budget_tokens",
    ): _BUDGET,
    (_GA_CREATE, "max_tokens"): _MAX_TOKENS,
    (_BETA_CREATE, "max_tokens"): _MAX_TOKENS,
}

# SDK 2.x dropped the legacy sampling parameters from its types, but the API still honours them on
# models that predate the change (older SDKs and apps send them routinely). They are accepted
# here; app/rules decides per model / anthropic-version whether a value is allowed.
_LEGACY_SAMPLING: dict[str, tuple[type, dict[str, object]]] = {
    "temperature": (float, {"ge": 0, "le": 1}),
    "top_p": (float, {"ge": 0, "le": 1}),
    "top_k": (int, {"ge": 0}),
}
ADDED_FIELDS: dict[str, dict[str, tuple[type, dict[str, object]]]] = {
    # `stream` lives on the SDK's Streaming/NonStreaming subclasses, not on the Base we walk.
    _GA_CREATE: {"stream": (bool, {}), **_LEGACY_SAMPLING},
    _BETA_CREATE: {"stream": (bool, {}), **_LEGACY_SAMPLING},
}

# Keyword arguments the SDK turns into headers, never body keys (`betas` -> anthropic-beta,
# `workspace_id` -> anthropic-workspace-id). `user_profile_id` stays: batch request params carry
# it as a body field (SDK docstring of batch_create_params).
_HEADER_ONLY = {"workspace_id"}
REMOVED_FIELDS: dict[str, set[str]] = {
    _GA_CREATE: _HEADER_ONLY,
    _BETA_CREATE: _HEADER_ONLY | {"betas"},
    _GA_COUNT: _HEADER_ONLY,
    _BETA_COUNT: _HEADER_ONLY | {"betas"},
}

# A tool's input_schema is a JSON Schema: any keyword ($schema, additionalProperties...) is fine.
# The GA SDK type says so (set_pydantic_config extra=allow); its beta copy does not.
EXTRA_ALLOWED = {"anthropic.types.beta.beta_tool_param:InputSchemaTyped"}

OVERRIDES = Overrides(CONSTRAINTS, ADDED_FIELDS, REMOVED_FIELDS, EXTRA_ALLOWED)


def generate() -> tuple[str, str]:
    """The sources of ``generated.py`` and of ``tags.py``."""
    conv = Converter(OVERRIDES)
    roots = {name: conv.root(name, cid) for name, cid in ROOTS.items()}
    unused = OVERRIDES.entries() - conv.used_overrides
    if unused:
        raise SystemExit(f"override table entries matched nothing in the SDK: {sorted(unused)}")
    emitter = Emitter(roots, conv)
    source = emitter.render()
    return ruff_format(source), ruff_format(emitter.render_tags())


def ruff_format(source: str) -> str:
    # --isolated: the same output whatever the caller's directory or ruff configuration
    cmd = [sys.executable, "-m", "ruff", "format", "--isolated", "--line-length", "100"]
    cmd += ["--target-version", "py311", "-"]
    done = subprocess.run(cmd, input=source, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"ruff format failed:\n{done.stderr}")
    return done.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--output",
        type=Path,
        default=OUTPUT,
        help="generated.py; tags.py and core.json are written beside it",
    )
    parser.add_argument("--check", action="store_true", help="exit 1 if the output is stale")
    args = parser.parse_args(argv)
    outputs = dict(zip((args.output, args.output.with_name("tags.py")), generate(), strict=True))
    if args.check:
        stale = [p for p, src in outputs.items() if not p.exists() or p.read_text() != src]
        for path in stale:
            print(f"{path} is stale: run `make schema`", file=sys.stderr)
        return 1 if stale else 0
    for path, source in outputs.items():
        path.write_text(source)
        print(f"wrote {path} (anthropic=={anthropic.__version__})")
    if args.output == OUTPUT:
        # The compiled form of the schema just written, from a fresh interpreter that
        # imports it (app/schema/core.py).
        code = "from messages_sandbox.schema import core; core.write()"
        subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True)
        print(f"wrote {OUTPUT.with_name('core.json')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
