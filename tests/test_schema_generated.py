"""app/schema/generated.py is exactly what scripts/gen_schema.py makes from the installed SDK."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
GENERATED = ROOT / "app" / "schema" / "generated.py"


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
    assert fresh.read_text() == GENERATED.read_text(), (
        "app/schema/generated.py is stale against the installed anthropic SDK (or the generator "
        "changed): run `make schema` and commit the result"
    )


def test_generated_module_is_light_at_import() -> None:
    # The app must not need the SDK at run time, and importing the schema must not compile it
    # (RequestValidators does that once, at start-up).
    code = "import sys, messages_sandbox.schema.generated; assert 'anthropic' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
    assert "TypeAdapter" not in GENERATED.read_text()
