"""pyproject.toml ships what the source tree holds: every package under app/ is listed (as
``messages_sandbox.…``), every folder of the example fixtures is a data package of
``messages_sandbox.examples``, and every data file is matched by a package-data pattern.

The fast half of the packaging check; tests/packaging/check.sh builds and installs the wheel.
"""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

import pytest
from conftest import ROOT

SETUPTOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
    "setuptools"
]
PACKAGE_DIR: dict[str, str] = SETUPTOOLS["package-dir"]
SKIPPED = {"__pycache__"}


def _folders(root: Path) -> list[Path]:
    """``root`` and the folders below it (no caches, no hidden ones)."""
    below = [
        p
        for p in root.rglob("*")
        if p.is_dir()
        and not any(part in SKIPPED or part.startswith(".") for part in p.relative_to(root).parts)
    ]
    return [root, *sorted(below)]


def _package(name: str, root: Path, folder: Path) -> str:
    return ".".join([name, *folder.relative_to(root).parts])


def _sources() -> dict[str, Path]:
    """Import package -> the folder it is built from: the code packages under app/ (those
    with an ``__init__.py``), and every folder of the example fixtures (data only)."""
    out: dict[str, Path] = {}
    for name, source in PACKAGE_DIR.items():
        root = ROOT / source
        for folder in _folders(root):
            if source == "app" and not (folder / "__init__.py").exists():
                continue
            out[_package(name, root, folder)] = folder
    return out


def test_every_package_of_the_source_tree_is_listed_and_nothing_else() -> None:
    assert sorted(SETUPTOOLS["packages"]) == sorted(_sources())


def test_the_source_folder_installs_as_messages_sandbox_and_nothing_as_app() -> None:
    assert PACKAGE_DIR["messages_sandbox"] == "app"
    assert not [p for p in SETUPTOOLS["packages"] if p.split(".")[0] != "messages_sandbox"]


@pytest.mark.parametrize("package", sorted(_sources()))
def test_every_data_file_is_matched_by_a_package_data_pattern(package: str) -> None:
    folder = _sources()[package]
    patterns = SETUPTOOLS.get("package-data", {}).get(package, [])
    data = [
        p.name
        for p in sorted(folder.iterdir())
        if p.is_file() and p.suffix not in {".py", ".pyc"} and not p.name.startswith(".")
    ]
    unshipped = [name for name in data if not any(fnmatch.fnmatch(name, g) for g in patterns)]
    assert unshipped == [], f"{folder.relative_to(ROOT)}: add a package-data pattern"


def test_the_catalogue_and_the_typing_marker_are_shipped() -> None:
    data = SETUPTOOLS["package-data"]
    assert "models.yaml" in data["messages_sandbox.catalogue"]
    assert "py.typed" in data["messages_sandbox"]
