"""``make sdk-check`` / ``make schema SDK=``: the comparison of two request surfaces, in process
(an older SDK's surface is a fixture, so no old SDK is installed), and the catalogue upkeep."""

from __future__ import annotations

import datetime as dt
import gzip
import os
import subprocess
import sys
from pathlib import Path

import pytest

from messages_sandbox.catalogue.loader import load_catalogue

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "scripts"
OLDER = ROOT / "tests" / "sdk_surface" / "anthropic-2.0.0.surface.json.gz"
if str(SCRIPTS) not in sys.path:
    sys.path.insert(0, str(SCRIPTS))

import gen_models  # noqa: E402
from schema_gen.coverage import uncovered  # noqa: E402
from schema_gen.drift import changelog, changes, compare, report  # noqa: E402
from schema_gen.sources import catalogue_models, committed_surface  # noqa: E402
from schema_gen.surface import Surface  # noqa: E402
from sdk_upgrade import add_to_changelog  # noqa: E402

ALL = ["messages", "beta messages", "count_tokens", "beta count_tokens"]


@pytest.fixture(scope="module")
def pinned() -> Surface:
    _, models, _ = gen_models.sdk_models()
    return committed_surface(models)


def test_an_older_pin_gets_a_report_of_what_the_pinned_sdk_added(pinned: Surface) -> None:
    older = Surface.from_json(gzip.decompress(OLDER.read_bytes()).decode())
    drift = compare(older, pinned)
    text = report(drift)
    assert drift.behind
    assert text.startswith(f"The committed schema (anthropic 2.0.0) is behind {pinned.source}.")
    # what anthropic 2.1-2.17 added, in the words a maintainer acts on
    assert "+ billing_policy  [beta messages, beta count_tokens] (with type, bill_to)" in text
    assert "+ thread  [beta messages]" in text
    assert "+ message-threads-2026-08-12" in text and "+ claude-fable-5-2" in text
    line = changelog(drift, "2.17.0")
    assert line.startswith("- **anthropic 2.17.0** (`make schema SDK=2.17.0`)")
    assert "`billing_policy`" in line and "`claude-mythos-5-2`" in line


def test_the_pinned_sdk_against_itself_is_current(pinned: Surface) -> None:
    drift = compare(pinned, pinned, catalogue_models())
    assert drift.empty and not drift.behind
    assert report(drift).endswith("nothing to do.\n")
    assert changelog(drift, "2.17.0") == ""


def surface(*entries: str, roots: list[str] = ALL, **lists: list[str]) -> Surface:
    return Surface(
        "test", {e: roots for e in entries}, lists.get("betas", []), lists.get("models", [])
    )


def test_a_new_type_folds_its_fields_and_tool_types_stand_apart() -> None:
    old = surface("field:tools", "type:tools.*.bash_20250124", "field:messages.*.content")
    new = surface(
        *old.entries,
        "type:tools.*.web_fetch_20990101",
        "field:tools.*.web_fetch_20990101.name",
        "field:tools.*.web_fetch_20990101.max_uses",
        "type:messages.*.content.*.hologram",
        "field:messages.*.content.*.hologram.type",
        "value:output_config.effort=ultra",
        betas=["future-2099-01-01"],
        models=["claude-zephyr-9"],
    )
    groups = changes(compare(old, new).added)
    assert [c.words() for c in groups["tool types"]] == [
        "web_fetch_20990101 at tools.* (with name, max_uses)"
    ]
    assert [c.words() for c in groups["types"]] == ["hologram at messages.*.content.* (with type)"]
    assert [c.words() for c in groups["values"]] == ["output_config.effort = 'ultra'"]
    text = report(compare(old, new, catalogue=["claude-zephyr-9"]))
    assert "+ future-2099-01-01" in text and "claude-zephyr-9" not in text  # the catalogue has it


def test_a_beta_only_field_says_where_it_is_accepted() -> None:
    old = surface("field:model")
    new = surface("field:model", "field:speed", roots=["beta messages"])
    assert "+ speed  [beta messages]" in report(compare(old, new))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # one side tags a union on `type`, the other holds one object whose `type` takes both
        (
            [
                "field:keep",
                "type:keep.all",
                "field:keep.all.type",
                "type:keep.turns",
                "field:keep.turns.value",
            ],
            [
                "field:keep",
                "field:keep.type",
                "value:keep.type=all",
                "value:keep.type=turns",
                "field:keep.value",
            ],
        ),
        # literal values on one side, any string on the other
        (["field:model", "value:model=claude-x"], ["field:model"]),
    ],
)
def test_one_shape_spelled_two_ways_is_no_difference(a: list[str], b: list[str]) -> None:
    left, right = {e: ALL for e in a}, {e: ALL for e in b}
    if not any(e.startswith("value:") for e in b):
        assert uncovered(left, right) == {}
        return
    assert uncovered(left, right) == {} and uncovered(right, left) == {}


def test_without_a_package_index_sdk_check_warns_in_one_line(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PIP_CONFIG_FILE": os.devnull,  # no machine-wide extra indexes or wheel folders
        "PIP_INDEX_URL": "http://127.0.0.1:9/simple",  # nothing listens on the discard port
        "PIP_EXTRA_INDEX_URL": "",
        "PIP_FIND_LINKS": "",
        "XDG_CACHE_HOME": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, str(SCRIPTS / "sdk_check.py"), "--timeout", "2"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith("sdk-check: WARNING: the package index is not")


def test_the_catalogue_has_every_model_the_pinned_sdk_lists() -> None:
    version, ids, _ = gen_models.sdk_models()
    text = gen_models.CATALOGUE.read_text(encoding="utf-8")
    assert gen_models.missing(text, ids) == [], f"run `make schema` (anthropic {version})"


def test_new_sdk_models_become_entries_with_placeholders(tmp_path: Path) -> None:
    text = gen_models.CATALOGUE.read_text(encoding="utf-8")
    ids = ["claude-zephyr-6-1", "claude-zephyr-6-20270301", "claude-zephyr-6"]
    updated = gen_models.add_models(
        text, ids, sdk="9.0.0", lines=["zephyr"], today=dt.date(2027, 4, 1)
    )
    assert updated.startswith(text.partition("models:\n")[0])  # comments and order kept
    assert gen_models.add_models(updated, ids, sdk="9.0.0", today=dt.date(2027, 4, 1)) == updated
    (tmp_path / "models.yaml").write_text(updated)
    catalogue = load_catalogue(tmp_path, builtin=False)  # read as the built-in one is
    undated = catalogue.get("claude-zephyr-6-1")
    dated = catalogue.get("claude-zephyr-6")  # the alias of the dated id
    assert undated is not None and dated is not None
    assert undated.display_name == "Claude Zephyr 6.1" and undated.line == "zephyr"
    assert undated.created_at == "2027-04-01T00:00:00Z"
    assert (dated.id, dated.created_at) == ("claude-zephyr-6-20270301", "2027-03-01T00:00:00Z")
    added = updated[len(text.partition("models:\n")[0]) :].split("  - id: claude-fable")[0]
    assert added.count("# placeholder: derived from the id") == 2
    assert added.count("# placeholder: the day it was added here") == 1


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (
            "# Changelog\n\n## [Unreleased]\n\n### Added\n- old\n\n## [0.1.0]\n- x\n",
            "# Changelog\n\n## [Unreleased]\n\n### Added\n- new\n- old\n\n## [0.1.0]\n- x\n",
        ),
        (
            "# Changelog\n\n## [Unreleased]\n\n### Fixed\n- f\n",
            "# Changelog\n\n## [Unreleased]\n\n### Added\n- new\n\n### Fixed\n- f\n",
        ),
        (
            "# Changelog\n\n## [0.1.0]\n- x\n",
            "# Changelog\n\n## [Unreleased]\n\n### Added\n- new\n\n## [0.1.0]\n- x\n",
        ),
    ],
)
def test_the_changelog_line_goes_first_under_unreleased_added(before: str, after: str) -> None:
    assert add_to_changelog(before, "- new\n") == after
