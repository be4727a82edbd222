"""What an experiment's runs keep, and how run tables are written (docs/experiments.md, "What
each run keeps").

``keep = "summary"`` (the default) keeps each run's monthly table, spell counts and outcomes;
``keep = "all"`` also its spells and events. The report's summary tables must come out the same
either way: the spell counts of the replications add up to the counts of their pooled spells.
"""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from labour_abm.analysis import summaries
from labour_abm.errors import UserError
from labour_abm.experiments.experiment import run_experiment
from labour_abm.io import store
from labour_abm.ui import cli

SPEC = {
    "name": "keep_check", "preset": "nijmegen", "months": 26, "replications": 3, "seed": 5,
    "parameters": {"initial_stock": 600},
    "arms": {"baseline": {}, "personal_approach": {"measures": [{"name": "personal_approach"}]}},
}
KEYS = [f"{arm}/r{r}" for arm in SPEC["arms"] for r in range(SPEC["replications"])]
SUMMARY_FILES = ["manifest.json", "monthly.parquet", "outcomes.parquet", "spell_counts.parquet"]


@pytest.fixture(scope="module")
def both(tmp_path_factory) -> dict[str, object]:
    """The same tiny experiment run with each keep (the default, then "all")."""
    folder = tmp_path_factory.mktemp("keep")
    return {"summary": run_experiment(SPEC, out=folder / "summary", workers=1, progress=False).out,
            "all": run_experiment({**SPEC, "keep": "all"}, out=folder / "all", workers=1, progress=False).out}


def test_by_default_a_run_keeps_its_monthly_table_spell_counts_and_outcomes(both):
    for key in KEYS:
        summary, full = store.run_dir(both["summary"], key), store.run_dir(both["all"], key)
        assert sorted(p.name for p in summary.iterdir()) == SUMMARY_FILES
        assert sorted(p.name for p in full.iterdir()) == sorted([*SUMMARY_FILES, "spells.parquet", "events.parquet"])
        for name in ("monthly.parquet", "spell_counts.parquet", "outcomes.parquet"):
            assert (summary / name).read_bytes() == (full / name).read_bytes(), f"{key}/{name}"
    effects = [pd.read_parquet(both[k] / "effects.parquet") for k in ("summary", "all")]
    pd.testing.assert_frame_equal(*effects)


def test_the_report_tables_are_the_same_without_the_spells(both, tmp_path):
    """The summaries of the default runs (from their spell counts) equal those counted afresh
    from the spells of runs that kept them (a directory without spell counts: the fallback)."""
    from_spells = tmp_path / "from_spells"
    shutil.copytree(both["all"], from_spells)
    for counts in from_spells.glob(f"runs/*/*/{store.SPELL_COUNTS}.parquet"):
        counts.unlink()
    arms, reps = list(SPEC["arms"]), range(SPEC["replications"])
    summary = summaries.experiment_summaries(both["summary"], arms, reps)
    recounted = summaries.experiment_summaries(from_spells, arms, reps)
    assert set(summary) == {"bands", "survival", "paired"}
    for name in summary:
        pd.testing.assert_frame_equal(summary[name], recounted[name], check_exact=True)


def test_spell_counts_of_replications_add_up_to_their_pooled_spells(both):
    """Survival curves pooled from counts equal Kaplan-Meier on the pooled spells, worked here
    without the counts: durations of spells starting in the run, open ones censored at the end."""
    months = SPEC["months"]
    spells = pd.concat([store.read_table(store.table_path(store.run_dir(both["all"], f"baseline/r{r}"), "spells"))
                        for r in range(SPEC["replications"])], ignore_index=True)
    new = spells[spells["start_month"] >= 0]
    ended = new["end_month"].notna().to_numpy()
    end = new["end_month"].to_numpy(dtype=float, na_value=np.nan)
    duration = np.where(ended, end, months - 1) - new["start_month"].to_numpy()
    counts = [store.read_table(store.table_path(store.run_dir(both["summary"], f"baseline/r{r}"), "spell_counts"))
              for r in range(SPEC["replications"])]
    curves = summaries.survival_from_counts(counts, months, "baseline")
    for group, flag in (("all", None), ("debt", "problematic_debt")):
        mask = np.ones(len(new), bool) if flag is None else new[flag].to_numpy(dtype=bool)
        at_risk = [int((duration[mask] >= t).sum()) for t in range(months)]
        curve = curves[curves["group"] == group]
        assert curve["at_risk"].tolist() == at_risk
        # survival after t months: the product over durations d < t of (1 - ended at d / at risk at d)
        hazard = [((duration[mask] == d) & ended[mask]).sum() / at_risk[d] for d in range(months - 1)]
        assert np.allclose(curve["survival"].to_numpy(), np.concatenate(([1.0], np.cumprod(1 - np.array(hazard)))))


def test_resuming_with_another_keep_is_refused(both):
    with pytest.raises(UserError, match="keep.*--fresh"):
        run_experiment({**SPEC, "keep": "all"}, out=both["summary"], workers=1, progress=False)


def test_keep_all_from_the_command_line(tmp_path, capsys):
    path = tmp_path / "keep_check.toml"
    path.write_text('name = "keep_check"\nmonths = 24\nreplications = 1\nparameters = { initial_stock = 800 }\n'
                    "[arms.baseline]\n")
    out = tmp_path / "out"
    assert cli.main(["experiment", str(path), "--out", str(out), "--workers", "1", "--keep", "all", "--quiet",
                     "--no-plot"]) == 0
    assert (store.run_dir(out, "baseline/r0") / "spells.parquet").is_file()
    assert cli.main(["analyse", str(out), "--no-plot"]) == 0  # what keep = "all" is for


def test_analyse_of_a_run_that_kept_a_summary_says_how_to_keep_more(both, capsys):
    assert cli.main(["analyse", str(both["summary"]), "--run", "personal_approach/r1"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("labour-abm: error:") and 'keep = "all"' in err[0]


def test_a_table_of_plain_columns_is_written_without_the_arrow_schema_and_reads_back_the_same(tmp_path):
    plain = pd.DataFrame({"month": np.arange(4), "stock": [1.5, 2.0, np.nan, 4.0],
                          "label": ["a", "b", "c", "d"], "flag": [True, False, True, True]})
    typed = pd.DataFrame({"end_month": pd.array([3, None, 5], dtype="Int32"),
                          "reason": pd.Categorical(["work", "other", "work"], categories=["work", "other", "moved"])})
    for name, frame, schema_kept in (("plain", plain, False), ("typed", typed, True)):
        path = tmp_path / f"{name}.parquet"
        store.write_table(frame, path)
        assert (b"ARROW:schema" in (pq.read_metadata(path).metadata or {})) == schema_kept, name
        back = pd.read_parquet(path)
        pd.testing.assert_frame_equal(back, frame)  # dtypes too, the categories of a categorical included
        assert not list(tmp_path.glob(f".{name}*"))  # written atomically: no temporary file left


def test_a_runs_monthly_table_is_written_without_the_schema(both):
    path = store.table_path(store.run_dir(both["summary"], "baseline/r0"), "monthly")
    assert b"ARROW:schema" not in (pq.read_metadata(path).metadata or {})
    assert b"pandas" not in (pq.read_metadata(path).metadata or {})
