"""Where a ``Surface`` comes from: the committed generated files, or an SDK installed in some
interpreter (the throwaway venv of ``make sdk-check``), generated into a temporary directory.

The generators run as subprocesses of the interpreter that has the SDK: a walk must never see
another SDK than the one it reports on.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from .surface import Surface, load_module, read_betas, surface_of

REPO = Path(__file__).resolve().parents[2]
SCRIPTS = REPO / "scripts"
PYPROJECT = REPO / "pyproject.toml"
GENERATED = REPO / "app" / "schema" / "generated.py"
BETAS = REPO / "app" / "schema" / "betas.py"
CATALOGUE = REPO / "app" / "catalogue" / "models.yaml"

_PIN = re.compile(r'"anthropic==(?P<version>[^"\s]+)"')
_SOURCE = re.compile(r"Source: anthropic==(?P<version>\S+)")


class GeneratorFailed(Exception):
    """A generator refused the SDK (a type shape or override it does not know)."""


def pinned_version(pyproject: Path = PYPROJECT) -> str:
    match = _PIN.search(pyproject.read_text(encoding="utf-8"))
    if match is None:
        raise SystemExit(f'{pyproject}: no "anthropic==X.Y.Z" pin in the dev extra')
    return match.group("version")


def set_pin(version: str, pyproject: Path = PYPROJECT) -> None:
    text = pyproject.read_text(encoding="utf-8")
    pyproject.write_text(_PIN.sub(f'"anthropic=={version}"', text, count=1), encoding="utf-8")


def sdk_models(python: str) -> tuple[str, list[str]]:
    """(version, model ids) of the SDK installed for ``python``."""
    out = _run(python, [str(SCRIPTS / "gen_models.py"), "--list"])
    data = json.loads(out)
    return data["sdk"], data["models"]


def catalogue_models() -> list[str]:
    """Every id and alias the built-in catalogue serves."""
    import yaml

    data = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8")) or {}
    names: list[str] = []
    for model in data.get("models") or []:
        names += [model["id"], *(model.get("aliases") or [])]
    return sorted(names)


def committed_surface(models: list[str]) -> Surface:
    """What the committed ``generated.py`` and ``betas.py`` accept; ``models``: the list of the
    SDK they were generated from (the catalogue covers it: a test says so)."""
    match = _SOURCE.search(GENERATED.read_text(encoding="utf-8")[:400])
    source = f"anthropic {match.group('version')}" if match else "the committed schema"
    module = load_module(GENERATED, "_committed_generated")
    return surface_of(module, source=source, betas=read_betas(BETAS), models=models)


def generated_surface(python: str, workdir: Path) -> Surface:
    """Generate the schema and the beta list from the SDK of ``python`` into ``workdir`` and
    read them back, with that SDK's model list."""
    version, models = sdk_models(python)
    generated, betas = workdir / "generated.py", workdir / "betas.py"
    _run(python, [str(SCRIPTS / "gen_schema.py"), "--output", str(generated)])
    _run(python, [str(SCRIPTS / "gen_betas.py"), str(betas)])
    module = load_module(generated, f"_generated_{version.replace('.', '_')}")
    return surface_of(module, source=f"anthropic {version}", betas=read_betas(betas), models=models)


def _run(python: str, args: list[str]) -> str:
    done = subprocess.run(
        [python, *args], cwd=REPO, capture_output=True, text=True, check=False, timeout=600
    )
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines() or ["(no output)"]
        raise GeneratorFailed(f"{Path(args[0]).name} failed: {lines[-1]}")
    return done.stdout
