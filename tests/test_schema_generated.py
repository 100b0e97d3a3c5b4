"""app/schema/generated.py and tags.py are exactly what scripts/gen_schema.py makes from the
installed SDK, and core.json is their compiled form under the installed pydantic."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
GENERATED = ROOT / "app" / "schema" / "generated.py"
TAGS = GENERATED.with_name("tags.py")


def load_generator() -> ModuleType:
    """scripts/ is not a package: load gen_schema.py by path (registered, for its dataclasses),
    with scripts/ importable as when it runs, for its schema_gen package."""
    if "gen_schema" in sys.modules:
        return sys.modules["gen_schema"]
    if str(ROOT / "scripts") not in sys.path:
        sys.path.insert(0, str(ROOT / "scripts"))
    spec = importlib.util.spec_from_file_location("gen_schema", ROOT / "scripts" / "gen_schema.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["gen_schema"] = module
    spec.loader.exec_module(module)
    return module


def test_generated_schema_matches_installed_sdk(tmp_path: Path) -> None:
    # In a fresh interpreter, as `make schema` runs it: the walk must not see what this test
    # session happened to import or cache.
    fresh = tmp_path / "generated.py"
    script = ROOT / "scripts" / "gen_schema.py"
    subprocess.run([sys.executable, str(script), "--output", str(fresh)], cwd=ROOT, check=True)
    for made, committed in ((fresh, GENERATED), (fresh.with_name("tags.py"), TAGS)):
        assert made.read_text() == committed.read_text(), (
            f"app/schema/{committed.name} is stale against the installed anthropic SDK (or the "
            "generator changed): run `make schema` and commit the result"
        )


def test_compiled_schema_is_the_generated_one_under_the_installed_pydantic() -> None:
    from messages_sandbox.schema import core

    assert core.render(core.build()) == core.PATH.read_text(), (
        "app/schema/core.json is stale against generated.py or the installed pydantic: run "
        "`make schema` and commit the result"
    )


BODIES = [
    {"model": "m", "max_tokens": 5, "messages": [{"role": "user", "content": "hi"}]},
    {"model": "m", "max_tokens": "5", "messages": [{"role": "user", "content": "hi"}]},
    {"model": "m", "max_tokens": 5, "messages": [{"role": "robot", "content": "hi"}]},
    {"model": "m", "max_tokens": 5, "messages": [{"role": "user", "content": [{"type": "x"}]}]},
    {"model": "m", "max_tokens": 5, "messages": [], "tools": [{"name": "t"}], "extra": 1},
    {"model": "m", "max_tokens": 5, "messages": [{"role": "user", "content": 3}]},
    {
        "model": "m",
        "max_tokens": 5,
        "messages": [{"role": "user", "content": "hi"}],
        "tools": [{"name": "t", "input_schema": {"type": "object", "properties": {}}}],
        "tool_choice": {"type": "tool", "name": "t"},
        "system": [{"type": "text", "text": "s", "cache_control": {"type": "ephemeral"}}],
    },
    [],
    "text",
]


def test_validators_from_core_json_answer_as_the_generated_schema_does() -> None:
    from pydantic import TypeAdapter, ValidationError
    from pydantic_core import SchemaValidator

    from messages_sandbox.schema import core, generated

    schemas = core.load()
    for name in core.ROOTS:
        compiled = SchemaValidator(schemas[name])
        reference = TypeAdapter(getattr(generated, name)).validator
        for body in BODIES:
            outcomes = []
            for validator in (compiled, reference):
                try:
                    outcomes.append(validator.validate_python(body))
                except ValidationError as exc:
                    outcomes.append(exc.errors(include_url=False))
            assert outcomes[0] == outcomes[1], (name, body)


def test_generated_module_is_light_at_import() -> None:
    # The app must not need the SDK at run time, and importing the schema must not compile it
    # (RequestValidators builds each root once, on its first use, from core.json).
    code = "import sys, messages_sandbox.schema.generated; assert 'anthropic' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
    assert "TypeAdapter" not in GENERATED.read_text()
