"""analysis.econometrics: the estimators recover what synthetic data were made with; the CLI on a real run."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from labour_abm.analysis import econometrics as analysis
from labour_abm.analysis.patterns import return_rate

FLAGS = analysis.FLAGS


def make_spells(rows: list[tuple]) -> pd.DataFrame:
    """Spells from (uid, start_month, end_month or None, exit_reason or None[, age, {flag: True}])."""
    out = []
    for i, r in enumerate(rows):
        uid, start, end, reason = r[:4]
        age = r[4] if len(r) > 4 else 35.0
        flags = r[5] if len(r) > 5 else {}
        out.append({"uid": uid, "spell_id": i, "start_month": start, "end_month": end, "exit_reason": reason,
                    "age_at_start": age, **{f: flags.get(f, False) for f in FLAGS}})
    s = pd.DataFrame(out)
    s["start_month"] = s["start_month"].astype("int32")
    s["end_month"] = s["end_month"].astype("Int32")
    s["exit_reason"] = s["exit_reason"].astype("category")
    s["age_at_start"] = s["age_at_start"].astype("float32")
    return s


def make_events(rows: list[tuple]) -> pd.DataFrame:
    e = pd.DataFrame(rows, columns=["uid", "month", "event"])
    e["month"] = e["month"].astype("int32")
    e["event"] = e["event"].astype("category")
    e["detail"] = ""
    return e


# -------------------------------------------------------------- (a) a known hazard ratio
BAND_HAZARD = {0: 0.06, 6: 0.045, 12: 0.035, 24: 0.025, 60: 0.015}  # monthly exit to work, by band start
TRUE_RATIO = 1.5


def synthetic_spells(n: int = 15_000, months: int = 120, seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Spells with a known piecewise-constant hazard of exit to work by duration band, times
    TRUE_RATIO from the month after a 'sanction' that strikes at a random month (3% a month),
    plus a competing other exit (1% a month) and censoring at the end of the run."""
    rng = np.random.default_rng(seed)
    start = rng.integers(0, 60, n)
    sanction_at = rng.geometric(0.03, n) - 1  # duration of the sanction month
    end = np.full(n, -1)
    reason = np.full(n, None, dtype=object)
    starts = np.array(sorted(BAND_HAZARD))
    base = np.array([BAND_HAZARD[b] for b in starts])
    for d in range(months):  # a loop over durations, vectorised over spells
        alive = (end < 0) & (start + d <= months - 1)
        if not alive.any():
            break
        p_work = base[np.searchsorted(starts, d, side="right") - 1] * np.where(d > sanction_at, TRUE_RATIO, 1.0)
        u = rng.random(n)
        work = alive & (u < p_work)
        other = alive & ~work & (u < p_work + 0.01)
        end[work | other] = start[work | other] + d
        reason[work] = "work"
        reason[other] = "other"
    ended = end >= 0
    spells = make_spells([(i, int(start[i]), int(end[i]) if ended[i] else None, reason[i]) for i in range(n)])
    # a sanction is logged only while the spell lasts
    month = start + sanction_at
    logged = month <= np.where(ended, end, months - 1)
    events = make_events([(int(i), int(month[i]), "sanction") for i in np.flatnonzero(logged)])
    return spells, events


def test_piecewise_exponential_recovers_a_known_hazard_ratio():
    spells, events = synthetic_spells()
    pm = analysis.person_months(spells, events, 120)
    table = analysis.piecewise_exponential(pm, ["sanctioned"]).set_index("covariate")
    s = table.loc["sanctioned"]
    assert s["ci_low"] < TRUE_RATIO < s["ci_high"]
    assert s["hazard_ratio"] == pytest.approx(TRUE_RATIO, rel=0.10)
    assert s["ci_high"] / s["ci_low"] < 1.5  # informative, not a wide interval that covers anything
    # the baseline by duration band is recovered too (relative to the first band)
    for lo, hazard in list(BAND_HAZARD.items())[1:]:
        label = next(i for i in table.index if i.startswith(f"duration {lo}"))
        assert table.loc[label, "hazard_ratio"] == pytest.approx(hazard / BAND_HAZARD[0], rel=0.12)
    # counts: duration rows add up to every person-month and exit to work
    durations = table[table.index.str.startswith("duration")]
    assert durations["n_person_months"].sum() == len(pm) == table.attrs["n_person_months"]
    assert durations["n_events"].sum() == pm["exit_work"].sum() == (spells["exit_reason"] == "work").sum()
    assert s["n_person_months"] == pm["sanctioned"].sum()


def test_piecewise_exponential_without_a_true_effect_finds_none():
    spells, events = synthetic_spells(n=8000, seed=3)
    pm = analysis.person_months(spells, events, 120)
    rng = np.random.default_rng(0)
    pm["noise"] = rng.integers(0, 2, len(pm))  # a covariate unrelated to the exits
    table = analysis.piecewise_exponential(pm, ["sanctioned", "noise"]).set_index("covariate")
    assert table.loc["noise", "ci_low"] < 1 < table.loc["noise", "ci_high"]
    assert table.loc["noise", "p_value"] > 0.01


def test_piecewise_exponential_edge_cases():
    spells, events = synthetic_spells(n=2000, seed=5)
    pm = analysis.person_months(spells, events, 120)
    pm["never"] = 0
    pm["no_exit_when_on"] = ((pm["exit_work"] == 0) & (pm["duration"] % 7 == 3)).astype(int)
    table = analysis.piecewise_exponential(pm, ["never", "no_exit_when_on"]).set_index("covariate")
    assert np.isnan(table.loc["never", "hazard_ratio"])  # no variation: no estimate
    assert table.loc["no_exit_when_on", "hazard_ratio"] == 0.0  # no events when on: a boundary estimate
    assert np.isnan(table.loc["no_exit_when_on", "ci_low"])
    with pytest.raises(ValueError, match="no column"):
        analysis.piecewise_exponential(pm, ["absent"])


# ------------------------------------------------------------------ (b) Kaplan-Meier
def test_kaplan_meier_equals_empirical_survival_without_censoring():
    rng = np.random.default_rng(1)
    n, months = 3000, 200
    start = rng.integers(0, 40, n)
    duration = rng.geometric(0.08, n) - 1  # 0, 1, 2, ... months
    duration = np.minimum(duration, months - 1 - start - 1)  # every spell ends inside the run
    debt = rng.random(n) < 0.3
    spells = make_spells([(i, int(start[i]), int(start[i] + duration[i]), "work", 30.0,
                           {"problematic_debt": bool(debt[i])}) for i in range(n)])
    spells = pd.concat([spells, make_spells([(n, -5, 3, "work")])], ignore_index=True)  # initial stock: left out
    km = analysis.kaplan_meier_table(spells, months)
    t = km["month"].to_numpy()
    empirical = (duration[None, :] >= t[:, None]).mean(axis=1)  # share still on benefit after t months
    np.testing.assert_allclose(km["survival"], empirical, atol=1e-12)
    assert km["at_risk"].iloc[0] == n
    assert km["exits"].sum() == n
    assert ((km["ci_low"] <= km["survival"] + 1e-12) & (km["survival"] <= km["ci_high"] + 1e-12)).all()
    inner = km[(km["survival"] > 0.05) & (km["survival"] < 0.95)]
    assert (inner["ci_low"] < inner["survival"]).all() and (inner["survival"] < inner["ci_high"]).all()
    # by a column and by a mapping of groups
    by_col = analysis.kaplan_meier_table(spells, months, by="problematic_debt")
    d = by_col[by_col["group"] == "True"]
    np.testing.assert_allclose(d["survival"], (duration[debt][None, :] >= t[:, None]).mean(axis=1), atol=1e-12)
    by_map = analysis.kaplan_meier_table(spells, months, by={"all": None, "debt": "problematic_debt"})
    assert list(dict.fromkeys(by_map["group"])) == ["all", "debt"]
    np.testing.assert_allclose(by_map.loc[by_map["group"] == "debt", "survival"], d["survival"])


def test_kaplan_meier_censoring_and_reason():
    # two spells: one leaves for work after 2 months, one is still on benefit at the end (censored at 3)
    spells = make_spells([(1, 0, 2, "work"), (2, 1, None, None), (3, 0, 1, "partner")])
    km = analysis.kaplan_meier_table(spells, 5).set_index("month")
    # t=0,1: 3 at risk, no exit at 0; at 1 the partner exit (1 of 3); at 2 the work exit (1 of 2)
    assert km.loc[2, "survival"] == pytest.approx(2 / 3)
    assert km.loc[3, "survival"] == pytest.approx(2 / 3 * 1 / 2)
    work = analysis.kaplan_meier_table(spells, 5, reason="work").set_index("month")
    assert work.loc[2, "survival"] == pytest.approx(1.0)  # the partner exit is censored
    assert work.loc[3, "survival"] == pytest.approx(0.5)


# ---------------------------------------------------------------- (c) recidivism
def test_recidivism_on_hand_made_spells():
    months = 110
    spells = make_spells([
        (1, 0, 5, "work"), (1, 8, 20, "other"),  # back after 3 months
        (2, 2, 10, "work"),                       # never back
        (3, 0, 30, "work"), (3, 45, None, None),  # back after 15 months
        (4, 0, 50, "partner"), (4, 55, None, None),  # back after 5 months
        (5, 3, 100, "work"),                      # too late to be observed 12 months
    ])
    r = analysis.recidivism(spells, months).set_index(["exit_reason", "horizon_months"])
    expected = {("work", 6): (1, 4), ("work", 12): (1, 3), ("work", 24): (2, 3),
                ("any", 6): (2, 6), ("any", 12): (2, 5), ("any", 24): (3, 5)}
    for key, (back, n) in expected.items():
        assert (r.loc[key, "returned"], r.loc[key, "exits_observed"]) == (back, n), key
        assert r.loc[key, "return_rate"] == pytest.approx(back / n)
        assert r.loc[key, "ci_low"] <= back / n <= r.loc[key, "ci_high"]
        reason = "work" if key[0] == "work" else None
        assert r.loc[key, "return_rate"] == pytest.approx(return_rate(spells, months, key[1], reason))
    curve = analysis.return_curve(spells, months, "work")
    assert curve["months_since_exit"].iloc[0] == 1 and len(curve) == months - 1
    assert curve.loc[curve["months_since_exit"] == 3, "returned"].item() == 1
    assert curve.loc[curve["months_since_exit"] == 2, "returned"].item() == 0
    short = analysis.recidivism(spells, 20, horizons=(6, 24)).set_index(["exit_reason", "horizon_months"])
    assert short.loc[("work", 24), "exits_observed"] == 0 and np.isnan(short.loc[("work", 24), "return_rate"])


# ------------------------------------------------------------- (d) person-months
def test_person_months_on_a_tiny_example():
    spells = make_spells([
        (1, 1, 3, "work", 30.0, {"problematic_debt": True}),
        (2, 2, None, None, 26.5),
        (3, -4, 1, "other", 50.0),  # initial stock: only with inflow_only=False
    ])
    events = make_events([
        (2, 1, "sanction"),  # before uid 2's spell: not in it
        (1, 1, "entry"), (1, 2, "sanction"),
        (2, 2, "entry"), (2, 3, "sanction"), (2, 4, "sanction"),  # the second does not restart the clock
        (3, 0, "sanction"),
    ])
    pm = analysis.person_months(spells, events, 6)
    cols = ["uid", "spell_id", "month", "duration", "sanctioned", "months_since_sanction", "exit_work", "exit_any",
            "problematic_debt", "age_under_27"]
    expected = pd.DataFrame([
        (1, 0, 1, 0, 0, np.nan, 0, 0, 1, 0),
        (1, 0, 2, 1, 0, np.nan, 0, 0, 1, 0),
        (1, 0, 3, 2, 1, 1.0, 1, 1, 1, 0),
        (2, 1, 2, 0, 0, np.nan, 0, 0, 0, 1),
        (2, 1, 3, 1, 0, np.nan, 0, 0, 0, 1),
        (2, 1, 4, 2, 1, 1.0, 0, 0, 0, 1),
        (2, 1, 5, 3, 1, 2.0, 0, 0, 0, 1),
    ], columns=cols)
    got = pm[cols].reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    np.testing.assert_allclose(pm["age"], [30, 30 + 1 / 12, 30 + 2 / 12, 26.5, 26.5 + 1 / 12, 26.5 + 2 / 12, 26.75],
                               rtol=1e-6)
    both = analysis.person_months(spells, events, 6, inflow_only=False)
    stock = both[both["uid"] == 3]
    assert stock["month"].tolist() == [0, 1] and stock["duration"].tolist() == [4, 5]
    assert stock["sanctioned"].tolist() == [0, 1] and stock["exit_any"].tolist() == [0, 1]
    assert stock["exit_work"].tolist() == [0, 0]
    np.testing.assert_allclose(stock["age"], [50, 50 + 1 / 12], rtol=1e-6)  # age_at_start is at month 0
    assert len(both) == len(pm) + 2


def test_hazards_by_duration_match_person_months():
    spells, events = synthetic_spells(n=3000, seed=11)
    h = analysis.exit_hazards_by_duration(spells, 120)
    pm = analysis.person_months(spells, events, 120, inflow_only=False)
    assert h["person_months"].sum() == len(pm)
    assert h["exits_work"].sum() == pm["exit_work"].sum()
    assert h.loc[0, "exit_to_work_hazard"] == pytest.approx(h.loc[0, "exits_work"] / h.loc[0, "person_months"])
    assert (h["work_ci_low"] <= h["exit_to_work_hazard"]).all()
    assert (h["exit_to_work_hazard"] <= h["work_ci_high"]).all()
    assert h["band"].tolist() == ["0-5", "6-11", "12-23", "24-59", "60+"]


# ---------------------------------------------------------------------- (e), (f) CLI
def cli(*args):
    return subprocess.run([sys.executable, "-m", "labour_abm.ui.cli", *args], capture_output=True, text=True)


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("analyse") / "run"
    res = cli("run", "--months", "24", "--set", "initial_stock=800", "--out", str(out), "--no-plot", "--quiet")
    assert res.returncode == 0, res.stderr
    return out


@pytest.mark.slow
def test_cli_analyse_writes_tables_and_plots(tiny_run):
    res = cli("analyse", str(tiny_run))
    assert res.returncode == 0, res.stderr
    assert "sanction hazard ratio" in res.stdout and "published" in res.stdout
    out = tiny_run / "analysis"
    for name in ("km", "hazards", "duration_model", "recidivism", "return_curves"):
        assert (out / f"{name}.csv").is_file()
    for name in ("km", "hazards", "return_curves", "duration_model"):
        assert (out / f"{name}.png").stat().st_size > 0 and (out / f"{name}.svg").is_file()
    model = pd.read_csv(out / "duration_model.csv")
    s = model[(model["model"] == "main") & (model["covariate"] == "sanctioned")].iloc[0]
    assert np.isfinite(s["hazard_ratio"]) and s["n_person_months"] > 0
    assert {"covariate", "hazard_ratio", "ci_low", "ci_high", "p_value", "n_person_months", "n_events"} <= set(model)
    km = pd.read_csv(out / "km.csv")
    assert km.loc[km["month"] == 0, "survival"].eq(1).all() and "all" in set(km["group"])
    rec = pd.read_csv(out / "recidivism.csv")
    assert set(rec["exit_reason"]) == {"work", "any"}


@pytest.mark.slow
@pytest.mark.parametrize("make", ["missing", "empty", "file", "run_flag"])
def test_cli_analyse_bad_directory(tmp_path, tiny_run, make):
    target = tmp_path / "x"
    args = [str(target)]
    if make == "empty":
        target.mkdir()
    elif make == "file":
        target.write_text("not a directory")
    elif make == "run_flag":  # --run on a run directory
        args = [str(tiny_run), "--run", "baseline/r0"]
    res = cli("analyse", *args)
    assert res.returncode == 2
    assert res.stderr.startswith("labour-abm: error:") and len(res.stderr.strip().splitlines()) == 1
    assert "Traceback" not in res.stderr


@pytest.mark.slow
def test_cli_analyse_an_experiment_run(tmp_path, tiny_run):
    import shutil

    exp = tmp_path / "exp"
    shutil.copytree(tiny_run, exp / "runs" / "baseline" / "r0", ignore=shutil.ignore_patterns("analysis"))
    res = cli("analyse", str(exp), "--no-plot")
    assert res.returncode == 0, res.stderr
    assert "run baseline/r0 of" in res.stdout
    assert (exp / "analysis" / "baseline" / "r0" / "duration_model.csv").is_file()
    assert not (exp / "analysis" / "baseline" / "r0" / "km.png").exists()
    res = cli("analyse", str(exp), "--run", "arm/r3")
    assert res.returncode == 2 and "no run arm/r3" in res.stderr
