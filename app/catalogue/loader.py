"""Read the model catalogue: the built-in ``models.yaml``, then a user's, then the ``models:``
of fixture files, each entry validated by ``format`` with its file and line."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import FixtureError
from ..fixtures.source import FixtureSource
from . import CATALOGUE_FILE, Catalogue, Model
from .format import CatalogueFile, ModelEntry
from .model_info import model_info

BUILTIN = Path(__file__).with_name(CATALOGUE_FILE)
"""The catalogue shipped with the package: every model the pinned SDK lists."""


@dataclass
class _Entry:
    """A model's keys as merged so far, and where it was (last) declared."""

    keys: dict[str, Any]
    file: str
    line: int | None


def load_catalogue(
    fixtures_dir: Path,
    extra: Iterable[tuple[ModelEntry, str, int | None]] = (),
    *,
    builtin: bool = True,
) -> Catalogue:
    """The built-in catalogue (unless ``builtin`` is off), then ``<fixtures>/models.yaml``
    (when present), then the ``models:`` of fixture files (``extra``: entry, file, line). A
    later entry with the id of an earlier one overrides the keys it gives; a new id extends
    the catalogue. Every problem is a ``FixtureError`` with its file and line."""
    entries: dict[str, _Entry] = {}
    problems: list[FixtureError] = []
    if builtin:
        _read(BUILTIN, entries)
    try:
        _read(fixtures_dir / CATALOGUE_FILE, entries)
    except FixtureError as exc:
        problems.append(exc)
    for declared, file, line in extra:
        _merge(entries, declared, {}, file, line)
    models = []
    owner: dict[str, _Entry] = {}
    sources: dict[str, None] = {}
    for entry in entries.values():
        sources["the built-in catalogue" if entry.file == str(BUILTIN) else entry.file] = None
        try:
            model = _model(entry)
        except FixtureError as exc:
            problems.append(exc)
            continue
        for name in (model.id, *model.aliases):
            first = owner.setdefault(name, entry)
            if first is not entry:
                problems.append(
                    FixtureError(
                        f"model id or alias `{name}` is declared twice "
                        f"(first at {first.file}:{first.line})",
                        file=entry.file,
                        line=entry.line,
                    )
                )
        models.append(model)
    if problems:
        raise FixtureError.of(problems)
    return Catalogue.of(models, sources)


def _read(path: Path, entries: dict[str, _Entry]) -> None:
    """Add the models of one catalogue file; its ``defaults`` apply to its own new entries."""
    if not path.is_file():
        return
    source = FixtureSource(path, path.parent)
    doc = source.document(CatalogueFile)
    defaults = doc.defaults.model_dump(exclude_none=True) if doc.defaults else {}
    for i, entry in enumerate(doc.models):
        _merge(entries, entry, defaults, str(path), source.line_of(("models", i)))


def _merge(
    entries: dict[str, _Entry],
    entry: ModelEntry,
    defaults: Mapping[str, Any],
    file: str,
    line: int | None,
) -> None:
    given = entry.model_dump(exclude_none=True)
    # An override may name the model by its id or by an alias (``claude-sonnet-4-5``).
    key = entry.id if entry.id in entries else _owner_of(entries, entry.id)
    if key is not None:
        # An override: only the keys it gives change (defaults do not reset the others).
        known = entries[key]
        given["id"] = known.keys["id"]
        entries[key] = _Entry({**known.keys, **given}, file, line)
    else:
        entries[entry.id] = _Entry({**defaults, **given}, file, line)


def _owner_of(entries: Mapping[str, _Entry], alias: str) -> str | None:
    for key, entry in entries.items():
        if alias in (entry.keys.get("aliases") or ()):
            return key
    return None


def _model(entry: _Entry) -> Model:
    values = dict(entry.keys)
    missing = [k for k in ("display_name", "created_at") if not values.get(k)]
    if missing:
        raise FixtureError(
            f"model `{values['id']}`: {', '.join(f'`{k}`' for k in missing)} required for a "
            "model the catalogue does not already have",
            file=entry.file,
            line=entry.line,
        )
    values["aliases"] = tuple(values.get("aliases") or ())
    values["thinking"] = frozenset(values.get("thinking") or ())
    values["capabilities"] = dict(values.get("capabilities") or {})
    model = Model(**values)
    try:
        # Served by GET /v1/models: a bad date or capability is a load error, not a 500.
        model_info(model)
    except ValueError as exc:
        raise FixtureError(f"model `{model.id}`: {exc}", file=entry.file, line=entry.line) from None
    return model
