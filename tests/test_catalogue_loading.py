"""The model catalogue a fixtures directory gets: the built-in one, extended or overridden by
the user's ``models.yaml`` and ``models:`` entries, each checked with its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from messages_sandbox.catalogue.loader import BUILTIN, load_catalogue
from messages_sandbox.errors import FixtureError
from messages_sandbox.fixtures.loader import load_fixture_set


def catalogue_of(root: Path, *, builtin: bool = True):  # -> Catalogue
    return load_catalogue(root, extra=load_fixture_set(root).models, builtin=builtin)


def test_a_directory_without_models_yaml_knows_every_built_in_model(tmp_path: Path) -> None:
    (tmp_path / "rules.yaml").write_text("rules: []\n")
    builtin = load_catalogue(BUILTIN.parent.parent / "nowhere")
    catalogue = catalogue_of(tmp_path)
    assert {m.id for m in catalogue.models} == {m.id for m in builtin.models}
    assert catalogue.get("claude-sonnet-4-5") is not None


def test_user_entries_extend_the_catalogue_and_override_only_the_keys_they_give(
    tmp_path: Path,
) -> None:
    (tmp_path / "models.yaml").write_text(
        "models:\n"
        "  - {id: claude-sonnet-4-5, max_tokens: 1000}\n"
        "  - {id: my-model, display_name: Mine, created_at: 2026-01-01}\n"
    )
    (tmp_path / "rules.yaml").write_text(
        "rules: []\n"
        'models:\n  - {id: from-a-rule-file, display_name: R, created_at: "2026-02-02"}\n'
    )
    catalogue = catalogue_of(tmp_path)
    sonnet = catalogue.get("claude-sonnet-4-5")
    builtin = load_catalogue(tmp_path / "nowhere").get("claude-sonnet-4-5")
    assert sonnet is not None and builtin is not None
    assert sonnet.max_tokens == 1000
    assert sonnet.display_name == builtin.display_name  # the keys not given are kept
    assert catalogue.get("my-model") is not None and catalogue.get("from-a-rule-file") is not None
    assert catalogue.get("my-model").created_at == "2026-01-01"  # type: ignore[union-attr]


def test_without_the_built_in_catalogue_only_the_users_models_are_served(tmp_path: Path) -> None:
    (tmp_path / "models.yaml").write_text(
        "models:\n  - {id: my-model, display_name: Mine, created_at: 2026-01-01}\n"
    )
    assert [m.id for m in load_catalogue(tmp_path, builtin=False).models] == ["my-model"]


@pytest.mark.parametrize(
    ("models_yaml", "expected"),
    [
        (
            "models:\n  - id: claude-sonnet-4-5\n    max_tokns: 5\n",
            "models.yaml:3: models[0].max_tokns: unknown key `max_tokns` "
            "(did you mean `max_tokens`?)",
        ),
        (
            "models:\n  - id: brand-new\n    display_name: New\n",
            "models.yaml:2: model `brand-new`: `created_at` required for a model the "
            "catalogue does not already have",
        ),
        (
            "models:\n  - {id: a, display_name: A, created_at: 2026-01-01, lifecycle: gone}\n",
            "models.yaml:2: models[0].lifecycle: Input should be 'active', 'deprecated' or "
            "'retired'",
        ),
        (
            "models:\n  - {id: a, display_name: A, created_at: 2026-01-01, aliases: [opus]}\n"
            "  - {id: b, display_name: B, created_at: 2026-01-01, aliases: [opus]}\n",
            "models.yaml:3: model id or alias `opus` is declared twice",
        ),
        ("- id: a\n", "models.yaml:1: a model catalogue (models.yaml) is a mapping with `models:`"),
    ],
    ids=["typo", "new-without-created_at", "bad-lifecycle", "alias-twice", "not-a-mapping"],
)
def test_a_bad_catalogue_names_file_line_and_what_is_wrong(
    tmp_path: Path, models_yaml: str, expected: str
) -> None:
    (tmp_path / "models.yaml").write_text(models_yaml)
    with pytest.raises(FixtureError) as caught:
        load_catalogue(tmp_path)
    assert expected in str(caught.value)
