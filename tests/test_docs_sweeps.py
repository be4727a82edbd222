"""docs/sweeps.md stays true to the code: its images exist, and its tables of sweep-file keys list
exactly the fields of SweepSpec and VarySpec."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from labour_abm.experiments.sweep import SweepSpec, VarySpec

DOCS = Path(__file__).resolve().parents[1] / "docs"
PAGE = DOCS / "sweeps.md"
TEXT = PAGE.read_text(encoding="utf-8")
MAX_IMAGE_BYTES = 250_000


def tables(text: str) -> list[list[list[str]]]:
    """Every Markdown table: a list of rows, each a list of stripped cells (separator rows dropped)."""
    found, rows = [], []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not all(re.fullmatch(r":?-{3,}:?", c) for c in cells):
                rows.append(cells)
        elif rows:
            found.append(rows)
            rows = []
    return found


def documented_keys(header: str) -> list[str]:
    """The keys in the first column of the table whose first header cell is ``header``."""
    matching = [t for t in tables(TEXT) if t[0][0] == header]
    assert len(matching) == 1, f"expected one table headed '{header}' in {PAGE.name}, found {len(matching)}"
    keys = []
    for row in matching[0][1:]:
        name = re.fullmatch(r"`([^`]+)`", row[0])
        assert name, f"first cell of a key row must be one `key`, got {row[0]!r}"
        keys.append(name.group(1))
    return keys


@pytest.mark.parametrize("header, model", [("key", SweepSpec), ("vary key", VarySpec)])
def test_every_documented_key_is_a_field_and_every_field_is_documented(header, model):
    keys = documented_keys(header)
    assert len(keys) == len(set(keys)), f"a key is documented twice: {keys}"
    fields = set(model.model_fields)
    assert not set(keys) - fields, f"documented but not a field of {model.__name__}: {sorted(set(keys) - fields)}"
    assert not fields - set(keys), f"fields of {model.__name__} not documented: {sorted(fields - set(keys))}"


def test_every_linked_image_exists_and_is_small():
    images = re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", TEXT)
    assert images, "the page links no image"
    for link in images:
        path = DOCS / link
        assert path.is_file(), f"{PAGE.name} links {link}, which does not exist"
        assert path.stat().st_size < MAX_IMAGE_BYTES, f"{link} is {path.stat().st_size} bytes"


def test_the_sweep_files_named_exist():
    root = DOCS.parent
    named = set(re.findall(r"experiments/[\w.-]+\.toml", TEXT)) | {
        f"experiments/{n}" for n in re.findall(r"`(sweep_[\w-]+\.toml)`", TEXT)}
    assert named
    missing = sorted(n for n in named if not (root / n).is_file() and not n.endswith("/X.toml"))
    assert not missing, f"named in {PAGE.name} but missing: {missing}"
