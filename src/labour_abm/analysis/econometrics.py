"""Econometrics on the simulated micro-data: what researchers estimate on administrative data.

Pure functions on a run's tidy tables (``spells.parquet``, ``events.parquet``), so that a
simulated estimate can be held next to a published one:

- :func:`kaplan_meier_table`: Kaplan-Meier curves of time on benefit (spells starting in the
  run), overall or by group, with Greenwood 95% intervals;
- :func:`exit_hazards_by_duration`: the monthly hazard of exit to work and of any exit by
  months on benefit;
- :func:`person_months`: one row per person-month on benefit with the time-varying covariate
  ``sanctioned`` (timing-of-events data);
- :func:`piecewise_exponential`: a proportional-hazards model of exit to work with a
  piecewise-constant baseline by duration band (a Poisson GLM on person-months), giving hazard
  ratios with 95% intervals;
- :func:`recidivism` and :func:`return_curve`: the share of leavers back on benefit within
  h months.

:func:`analyse_run` runs all of them on a stored run and writes ``analysis/`` (tables and
plots); ``labour-abm analyse DIR`` calls it. docs/analysis.md describes every estimator.
Months are numbered as in docs/outputs.md: a spell with ``end_month == start_month`` lasted 0
months, and the exit month is a month at risk.
"""

from __future__ import annotations

import functools
import json
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from ..core.population import BARRIERS
from ..core.rules.search import POST_SANCTION_MONTHS  # a sanction raises search effort in the months after it
from ..errors import UserError
from ..io import store
from ..io.files import atomic_write
from .outcomes import next_start
from .patterns import DURATION_BANDS, spell_months
from .summaries import SURVIVAL_GROUPS, kaplan_meier

Z95 = 1.959963984540054
MAX_LOG_RATIO = 15.0  # |log hazard ratio| beyond this is a boundary estimate (no events with or without the term)
FLAGS = (*BARRIERS, "migrant", "statushouder", "exempt")  # yes/no attributes at the start of the spell
# finer bands for the duration profile of the hazards (months on benefit)
HAZARD_BANDS = (0, 3, 6, 9, 12, 18, 24, 36, 48, 60, 84, 10_000)
# covariates of the duration model that `analyse_run` fits (besides the duration bands)
MODEL_COVARIATES = ("sanctioned", "age_under_27", "age_45_plus", *BARRIERS, "migrant", "exempt")
RETURN_CURVE_MONTHS = 60  # the return curves analyse_run writes (later points rest on few early exits)
TERM_LABELS = {"sanctioned_1_6m": "sanctioned: months 1-6 after", "sanctioned_7m_plus": "sanctioned: 7+ months after",
               "age_under_27": "age under 27", "age_45_plus": "age 45+"}
# published estimates of the effect of a sanction on the exit rate to work (hazard ratios).
# The figures are as commonly cited; check the papers' tables before quoting them.
PUBLISHED_SANCTION_EFFECTS = (
    {"short": "Abbring et al. 2005", "study": "Abbring, van den Berg & van Ours (2005), Economic Journal 115, 602-630",
     "population": "Dutch unemployment insurance (WW), 1992 inflow", "hazard_ratio_low": 1.36,
     "hazard_ratio_high": 1.67},
    {"short": "van den Berg et al. 2004",
     "study": "van den Berg, van der Klaauw & van Ours (2004), Journal of Labor Economics 22, 211-241",
     "population": "Dutch social assistance (bijstand), Rotterdam", "hazard_ratio_low": 2.4,
     "hazard_ratio_high": 2.4},
)


# ------------------------------------------------------------------------------ helpers
def _band_labels(bands: Sequence[int]) -> list[str]:
    return [f"{lo}-{hi - 1}" if hi < 10_000 else f"{lo}+" for lo, hi in zip(bands[:-1], bands[1:], strict=True)]


def _duration_band(duration, bands: Sequence[int]) -> pd.Categorical:
    return pd.cut(np.asarray(duration), bins=list(bands), right=False, labels=_band_labels(bands))


def _wilson(successes, n, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a binomial share (NaN where n is 0)."""
    k = np.asarray(successes, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def _in_run(spells: pd.DataFrame) -> pd.DataFrame:
    """Spells that started during the run (the inflow sample; the initial stock is left out)."""
    return spells[spells["start_month"].to_numpy() >= 0]


def _observed_duration(spells: pd.DataFrame, months: int) -> tuple[np.ndarray, np.ndarray]:
    """Months from the start to the exit, or to the last month of the run for open spells."""
    start = spells["start_month"].to_numpy(dtype=np.int64)
    ended = spells["end_month"].notna().to_numpy()
    end = spells["end_month"].to_numpy(dtype=float, na_value=np.nan)
    return np.where(ended, end - start, months - 1 - start).astype(np.int64), ended


# ------------------------------------------------------------------------ Kaplan-Meier
def kaplan_meier_table(spells: pd.DataFrame, months: int, by: str | Mapping[str, str | None] | None = None,
                       reason: str | None = None) -> pd.DataFrame:
    """Kaplan-Meier survival on benefit of the spells that start during the run.

    ``by``: None (one curve, group ``all``); the name of a column of ``spells`` (one curve per
    value); or a mapping label -> yes/no column (None for everyone), e.g.
    :data:`labour_abm.analysis.summaries.SURVIVAL_GROUPS`, for one curve per group of spells with that
    attribute at the start. ``reason``: count only exits for this reason (e.g. ``"work"``) and
    treat the others as censored; then ``1 - survival`` is the cumulative probability of
    leaving for that reason *in the absence of the other exits*, not the share that does.

    Returns columns group, month (months since the spell started, 0..months-1), survival
    (share still on benefit after that many months), ci_low, ci_high (95%, Greenwood's
    variance on the log(-log) scale), at_risk, exits (at that duration). Uses
    :func:`labour_abm.analysis.summaries.kaplan_meier`.
    """
    s = _in_run(spells)
    duration, ended = _observed_duration(s, months)
    if reason is not None:
        ended = ended & (s["exit_reason"] == reason).to_numpy()
    if by is None:
        groups = {"all": np.ones(len(s), bool)}
    elif isinstance(by, str):
        values = s[by].to_numpy()
        groups = {str(v): values == v for v in pd.unique(values)}
    else:
        groups = {label: np.ones(len(s), bool) if col is None else s[col].to_numpy(dtype=bool)
                  for label, col in by.items()}
    horizon = months - 1
    frames = []
    for label, mask in groups.items():
        if not mask.any():
            continue
        surv, at_risk = kaplan_meier(duration[mask], ended[mask], horizon + 1)  # one more: the last hazard
        with np.errstate(invalid="ignore", divide="ignore"):
            hazard = np.where(surv[:-1] > 0, 1 - surv[1:] / surv[:-1], 0.0)
            term = np.where((at_risk[:-1] > 0) & (hazard < 1), hazard / (at_risk[:-1] * (1 - hazard)), 0.0)
        s_t = surv[:-1]
        greenwood = np.concatenate(([0.0], np.cumsum(term)[:-1]))  # sum over durations before t
        with np.errstate(invalid="ignore", divide="ignore"):
            log_s = np.log(s_t)
            sd = np.sqrt(greenwood) / np.abs(log_s)
            low = np.where((s_t > 0) & (s_t < 1), s_t ** np.exp(Z95 * sd), s_t)
            high = np.where((s_t > 0) & (s_t < 1), s_t ** np.exp(-Z95 * sd), s_t)
        frames.append(pd.DataFrame({
            "group": label, "month": np.arange(horizon + 1), "survival": s_t, "ci_low": low, "ci_high": high,
            "at_risk": at_risk[:-1], "exits": np.rint(hazard * at_risk[:-1]).astype(np.int64),
        }))
    columns = ["group", "month", "survival", "ci_low", "ci_high", "at_risk", "exits"]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


# ------------------------------------------------------------------------------ hazards
def exit_hazards_by_duration(spells: pd.DataFrame, months: int, bands: Sequence[int] = DURATION_BANDS,
                             inflow_only: bool = False) -> pd.DataFrame:
    """Monthly hazard of exit to work and of any exit by months on benefit, with 95% intervals.

    Every person-month on benefit in the run is at risk, at its own duration: the initial
    stock enters at the duration it had reached at month 0 (delayed entry, which the hazard
    handles without bias), so long durations are observed too. ``inflow_only`` keeps only the
    spells that start in the run. Built on :func:`labour_abm.analysis.patterns.spell_months`.

    Returns columns band, person_months, exits_work, exit_to_work_hazard, work_ci_low,
    work_ci_high, exits, exit_hazard, ci_low, ci_high (Wilson intervals; a person-month is
    one trial).
    """
    s = _in_run(spells) if inflow_only else spells
    pm = spell_months(s.reset_index(drop=True), months)
    pm["band"] = _duration_band(pm["duration"], bands)
    g = pm.groupby("band", observed=False)
    out = pd.DataFrame({"person_months": g.size(), "exits_work": g["exit_work"].sum(),
                        "exits": g["exit_any"].sum()}).reset_index()
    n = out["person_months"].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        out["exit_to_work_hazard"] = out["exits_work"] / n
        out["exit_hazard"] = out["exits"] / n
    out["work_ci_low"], out["work_ci_high"] = _wilson(out["exits_work"], n)
    out["ci_low"], out["ci_high"] = _wilson(out["exits"], n)
    out["band"] = out["band"].astype(str)
    return out[["band", "person_months", "exits_work", "exit_to_work_hazard", "work_ci_low", "work_ci_high",
                "exits", "exit_hazard", "ci_low", "ci_high"]]


# ------------------------------------------------------------------------ person-months
def _first_sanction_month(spells: pd.DataFrame, events: pd.DataFrame) -> np.ndarray:
    """Month of the first sanction imposed during each spell (inf if none), by row of ``spells``."""
    out = np.full(len(spells), np.inf)
    ev = events.loc[(events["event"] == "sanction").to_numpy(), ["uid", "month"]]
    if ev.empty or spells.empty:
        return out
    sp = pd.DataFrame({"row": np.arange(len(spells)), "uid": spells["uid"].to_numpy(),
                       "start": spells["start_month"].to_numpy(dtype=np.int64),
                       "end": spells["end_month"].to_numpy(dtype=float, na_value=np.inf)})
    m = ev.merge(sp, on="uid")
    m = m[(m["month"] >= m["start"]) & (m["month"] <= m["end"])]
    # a month that ends one spell and starts the next belongs to the later spell
    m = m.sort_values("start").drop_duplicates(["uid", "month"], keep="last")
    first = m.groupby("row")["month"].min()
    out[first.index.to_numpy()] = first.to_numpy()
    return out


def person_months(spells: pd.DataFrame, events: pd.DataFrame, months: int, inflow_only: bool = True) -> pd.DataFrame:
    """One row per person-month on benefit in the run (months 0..months-1), for duration models.

    Columns: uid, spell_id, month, start_month, duration (months on benefit at that month, 0
    in the month of entry), age (in years, at that month), age_under_27 and age_45_plus (0/1,
    at that month), the yes/no attributes at the start of the spell (:data:`FLAGS`, 0/1), the
    time-varying ``sanctioned`` (1 from the month after the first sanction of the current
    spell, when the cut starts; 0 before) and ``months_since_sanction`` (months since that
    first sanction, NaN before it), and the outcomes ``exit_work`` and ``exit_any`` (1 in the
    month of an exit to work / of any exit).

    ``inflow_only`` (default): only spells that start in the run, because the sanctions of the
    initial stock before month 0 are not in the events; with False the initial stock enters at
    the duration it had at month 0 and ``sanctioned`` counts only sanctions from month 0 on.
    Vectorised: built on :func:`labour_abm.analysis.patterns.spell_months`.
    """
    s = (_in_run(spells) if inflow_only else spells).reset_index(drop=True)
    pm = spell_months(s, months)
    row = pm["spell"].to_numpy()
    start = s["start_month"].to_numpy(dtype=np.int64)[row]
    duration = pm["duration"].to_numpy(dtype=np.int64)
    month = start + duration
    # age_at_start is the age at month 0 for the initial stock (docs/outputs.md)
    age = s["age_at_start"].to_numpy(dtype=float)[row] + (month - np.maximum(start, 0)) / 12
    first = _first_sanction_month(s, events)[row]
    sanctioned = month > first
    out = pd.DataFrame({
        "uid": s["uid"].to_numpy()[row], "spell_id": s["spell_id"].to_numpy()[row],
        "month": month.astype(np.int32), "start_month": start.astype(np.int32), "duration": duration.astype(np.int32),
        "age": age, "age_under_27": (age < 27).astype(np.int8), "age_45_plus": (age >= 45).astype(np.int8),
    })
    for flag in FLAGS:
        out[flag] = s[flag].to_numpy(dtype=np.int8)[row]
    out["sanctioned"] = sanctioned.astype(np.int8)
    out["months_since_sanction"] = np.where(sanctioned, month - first, np.nan)
    out["exit_work"] = pm["exit_work"].to_numpy(dtype=np.int8)
    out["exit_any"] = pm["exit_any"].to_numpy(dtype=np.int8)
    return out


# ----------------------------------------------------------------------- duration model
def piecewise_exponential(pm: pd.DataFrame, covariates: Sequence[str] = ("sanctioned",),
                          duration_bands: Sequence[int] = DURATION_BANDS, event: str = "exit_work") -> pd.DataFrame:
    """Proportional-hazards model of ``event`` with a piecewise-constant baseline hazard.

    The hazard in a person-month is ``h0(duration band) * exp(b'x)``, with ``x`` the
    ``covariates`` (columns of ``pm``, time-varying allowed, e.g. ``sanctioned`` from
    :func:`person_months`). Fitted as a Poisson GLM (statsmodels) on the person-months grouped
    by band and covariate values, with the log of the person-months as offset; this gives the
    same estimates as the GLM on every person-month, fast. Exits for other reasons censor the
    spell (cause-specific hazard). With monthly data the hazard ratio is the ratio of monthly
    exit probabilities, close to the continuous-time ratio while exits are rare (a few % a month).

    Returns one row per term: covariate, hazard_ratio, ci_low, ci_high (95%, Wald on the log
    scale), p_value, n_person_months and n_events (person-months where the covariate is not 0,
    and the events in them). The duration bands come first: ``duration <band>`` rows give the
    baseline hazard relative to the first band (hazard ratio 1, no interval), so their
    n_person_months add up to the total. A covariate that never varies gets NaN; a term with no
    events on one side (a band without exits, no exit after a sanction in a small run) gets a
    hazard ratio of 0 (or infinity) and no interval.

    This is the timing-of-events set-up (Abbring & van den Berg 2003) *without* its correction
    for selection: here sanctions are taken as exogenous given the covariates and duration.
    If those with low unobserved motivation are both sanctioned more and find work less, the
    naive estimate is biased (downward in that case); the published estimates model the two
    hazards jointly with correlated unobserved heterogeneity. Compare with Abbring, van den Berg
    & van Ours (2005) (Dutch UI) and van den Berg, van der Klaauw & van Ours (2004) (Dutch
    bijstand), who find that a sanction raises the exit rate to work substantially
    (:data:`PUBLISHED_SANCTION_EFFECTS`).
    """
    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import PerfectSeparationWarning

    missing = [c for c in [*covariates, event, "duration"] if c not in pm.columns]
    if missing:
        raise ValueError(f"person-months have no column(s) {', '.join(missing)}")
    covariates = list(covariates)
    labels = _band_labels(duration_bands)
    d = pm[[*covariates, event]].copy()
    d["band"] = _duration_band(pm["duration"], duration_bands)
    grouped = (d.groupby(["band", *covariates], observed=True)[event].agg(["sum", "size"])
               .rename(columns={"sum": "events", "size": "exposure"}).reset_index())
    # bands with no event have a hazard of 0 (an infinite log): leave them out of the fit
    band_events = grouped.groupby("band", observed=True)["events"].sum()
    fitted_bands = [b for b in labels if band_events.get(b, 0) > 0]
    varying = [c for c in covariates if grouped[c].nunique() > 1]
    fit_rows = grouped[grouped["band"].isin(fitted_bands)]
    rows = []

    def counts(mask) -> tuple[int, int]:
        return int(grouped.loc[mask, "exposure"].sum()), int(grouped.loc[mask, "events"].sum())

    result = None
    if fitted_bands:
        X = pd.DataFrame({f"duration {b}": (fit_rows["band"] == b).astype(float) for b in fitted_bands[1:]})
        for c in varying:
            X[c] = fit_rows[c].astype(float)
        X.insert(0, "const", 1.0)
        model = sm.GLM(fit_rows["events"].astype(float), X, family=sm.families.Poisson(),
                       offset=np.log(fit_rows["exposure"].astype(float)))
        with warnings.catch_warnings():  # a term with no events on one side: reported as a boundary (_ratio)
            warnings.simplefilter("ignore", PerfectSeparationWarning)
            result = model.fit()
    for b in labels:
        n, e = counts(grouped["band"] == b)
        if n == 0:
            continue
        name = f"duration {b}"
        if b not in fitted_bands:
            rows.append((name, 0.0, np.nan, np.nan, np.nan, n, e))
        elif b == fitted_bands[0]:
            rows.append((name, 1.0, np.nan, np.nan, np.nan, n, e))
        else:
            rows.append((name, *_ratio(result, name), n, e))
    for c in covariates:
        n, e = counts(grouped[c] != 0)
        rows.append((c, *_ratio(result, c), n, e) if c in varying and result is not None
                    else (c, np.nan, np.nan, np.nan, np.nan, n, e))
    out = pd.DataFrame(rows, columns=["covariate", "hazard_ratio", "ci_low", "ci_high", "p_value",
                                      "n_person_months", "n_events"])
    out.attrs.update(n_person_months=int(grouped["exposure"].sum()), n_events=int(grouped["events"].sum()),
                     event=event)
    return out


def _ratio(result, name: str) -> tuple[float, float, float, float]:
    b, se = float(result.params[name]), float(result.bse[name])
    if not (np.isfinite(b) and np.isfinite(se)) or abs(b) > MAX_LOG_RATIO:
        # no events on one side (e.g. none after a sanction): the estimate runs off to 0 or infinity, as if
        # those person-months were left out; the others are still estimated
        return (0.0 if b < 0 else np.inf), np.nan, np.nan, np.nan
    p = float(2 * stats.norm.sf(abs(b / se))) if se > 0 else np.nan
    return float(np.exp(b)), float(np.exp(b - Z95 * se)), float(np.exp(b + Z95 * se)), p


# ---------------------------------------------------------------------------- returns
def return_curve(spells: pd.DataFrame, months: int, reason: str | None = "work",
                 max_months: int | None = None) -> pd.DataFrame:
    """Cumulative share of exits (for ``reason``, or all with None) followed by a new spell of
    the same person within k months, for k = 1..``max_months`` (default months - 1).

    At each k only exits in month ``months - 1 - k`` or earlier count, so every exit counted
    was observed for k months (no censoring; the set of exits shrinks as k grows). Returns
    columns exit_reason, months_since_exit, exits_observed, returned, return_rate, ci_low,
    ci_high (Wilson; exits of one person are taken as independent). Matches
    :func:`labour_abm.analysis.patterns.return_rate` at each k.
    """
    k_max = months - 1 if max_months is None else min(max_months, months - 1)
    end = spells["end_month"].to_numpy(dtype=float, na_value=np.nan)
    ended = ~np.isnan(end)
    if reason is not None:
        ended &= (spells["exit_reason"] == reason).to_numpy()
    end = end[ended]
    gap = (next_start(spells)[ended] - end)  # inf if the person never came back
    k = np.arange(1, k_max + 1)
    observed = end[None, :] <= (months - 1 - k)[:, None]
    n = observed.sum(axis=1)
    back = (observed & (gap[None, :] <= k[:, None])).sum(axis=1)
    low, high = _wilson(back, n)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = back / n
    return pd.DataFrame({"exit_reason": reason or "any", "months_since_exit": k, "exits_observed": n,
                         "returned": back, "return_rate": rate, "ci_low": low, "ci_high": high})


def recidivism(spells: pd.DataFrame, months: int, horizons: Sequence[int] = (6, 12, 24)) -> pd.DataFrame:
    """Share of exits to work, and of all exits, followed by a new spell within h months, for
    each horizon h, among the exits observed for h months (see :func:`return_curve`).

    Returns columns exit_reason (``work``, ``any``), horizon_months, exits_observed, returned,
    return_rate, ci_low, ci_high. A horizon the run is too short for has no exits and NaN."""
    frames = []
    for reason in ("work", None):
        curve = return_curve(spells, months, reason)
        at = curve.set_index("months_since_exit").reindex(list(horizons))
        at["exit_reason"] = reason or "any"
        at["exits_observed"] = at["exits_observed"].fillna(0).astype(np.int64)
        at["returned"] = at["returned"].fillna(0).astype(np.int64)
        frames.append(at.rename_axis("horizon_months").reset_index())
    return pd.concat(frames, ignore_index=True)[["exit_reason", "horizon_months", "exits_observed", "returned",
                                                 "return_rate", "ci_low", "ci_high"]]


# ------------------------------------------------------------------------------ plots
def _styled(fn):
    """:func:`labour_abm.analysis.plots.styled`, imported when a plot is drawn (not when this module is)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from . import plots

        return plots.styled(fn)(*args, **kwargs)

    return wrapper


@_styled
def plot_km(km: pd.DataFrame):
    """Kaplan-Meier curves by group (the ``all`` curve black, with its 95% band)."""
    import matplotlib.pyplot as plt

    from .plots import BASELINE, PALETTE

    fig, ax = plt.subplots(figsize=(7.5, 4.6), constrained_layout=True)
    colours = iter(PALETTE[:7] * 2)
    for group, d in km.groupby("group", sort=False):
        colour = BASELINE if group == "all" else next(colours)
        ax.step(d["month"], 100 * d["survival"], where="post", color=colour, lw=2.2 if group == "all" else 1.5,
                label=group)
        if group == "all":
            ax.fill_between(d["month"], 100 * d["ci_low"], 100 * d["ci_high"], step="post", color=colour,
                            alpha=0.15, lw=0)
    ax.set(title="Time on benefit by barrier at the start (Kaplan-Meier; spells starting in the run)",
           xlabel="months since the spell started", ylabel="% still on benefit", ylim=(0, 101))
    ax.legend(title="barrier at the start")
    return fig


@_styled
def plot_hazards(hazards: pd.DataFrame):
    """Monthly hazard of exit to work and of any exit by months on benefit, with 95% intervals."""
    import matplotlib.pyplot as plt

    from .plots import PALETTE

    fig, ax = plt.subplots(figsize=(7.5, 4.3), constrained_layout=True)
    x = np.arange(len(hazards))
    for col, low, high, colour, label, dx in (
        ("exit_hazard", "ci_low", "ci_high", PALETTE[0], "any exit", -0.08),
        ("exit_to_work_hazard", "work_ci_low", "work_ci_high", PALETTE[2], "exit to work", 0.08),
    ):
        y = 100 * hazards[col].to_numpy(dtype=float)
        err = np.abs(100 * hazards[[low, high]].to_numpy(dtype=float).T - y)
        ax.errorbar(x + dx, y, yerr=err, color=colour, marker="o", ms=4, lw=1.6, capsize=2, label=label)
    ax.set_xticks(x, hazards["band"])
    ax.set(title="Monthly exit hazard by months on benefit (95% intervals)", xlabel="months on benefit",
           ylabel="% leaving per month")
    ax.set_ylim(bottom=0)
    ax.legend()
    return fig


@_styled
def plot_return_curves(curves: pd.DataFrame):
    """Cumulative share back on benefit by months since the exit: exits to work and all exits."""
    import matplotlib.pyplot as plt

    from .plots import PALETTE

    fig, ax = plt.subplots(figsize=(7.5, 4.3), constrained_layout=True)
    colours = {"work": PALETTE[2], "any": PALETTE[0]}
    for reason, d in curves.groupby("exit_reason", sort=False):
        label = {"work": "after an exit to work", "any": "after any exit"}.get(reason, reason)
        colour = colours.get(reason, PALETTE[3])
        ax.plot(d["months_since_exit"], 100 * d["return_rate"], color=colour, lw=1.8, label=label)
        ax.fill_between(d["months_since_exit"], 100 * d["ci_low"], 100 * d["ci_high"], color=colour, alpha=0.15,
                        lw=0)
    ax.set(title="Back on benefit within k months of leaving (95% intervals)", xlabel="months since the exit",
           ylabel="% with a new spell")
    ax.set_ylim(bottom=0)
    ax.set_xlim(left=0)
    ax.legend()
    return fig


@_styled
def plot_duration_model(model: pd.DataFrame):
    """Hazard ratios of exit to work with 95% intervals (log scale), the published range of
    the sanction effect shaded. With a ``model`` column, every term of the ``main`` model and
    the sanction terms of the others."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FixedLocator, NullFormatter, ScalarFormatter

    from .plots import PALETTE

    d = model[model["ci_low"].notna()]
    if "model" in d:
        d = d[(d["model"] == "main") | d["covariate"].str.startswith("sanction")]
    fig, ax = plt.subplots(figsize=(7.5, 0.27 * len(d) + 1.5), constrained_layout=True)
    y = np.arange(len(d))[::-1]
    hr = d["hazard_ratio"].to_numpy(dtype=float)
    sanction = d["covariate"].str.startswith("sanction").to_numpy()
    for mask, colour in ((~sanction, PALETTE[0]), (sanction, PALETTE[3])):
        ax.errorbar(hr[mask], y[mask], xerr=np.abs(d[["ci_low", "ci_high"]].to_numpy(dtype=float)[mask].T - hr[mask]),
                    fmt="o", color=colour, ms=4, capsize=2)
    pub = PUBLISHED_SANCTION_EFFECTS[0]
    ax.axvspan(pub["hazard_ratio_low"], pub["hazard_ratio_high"], color=PALETTE[1], alpha=0.25, lw=0,
               label="published sanction effect\n(Abbring et al. 2005, Dutch UI)")
    ax.axvline(1.0, color="0.4", lw=0.8)
    ax.set_yticks(y, [TERM_LABELS.get(c, c.replace("_", " ")) for c in d["covariate"]])
    ax.set_xscale("log")
    ax.xaxis.set_major_locator(FixedLocator([0.1, 0.2, 0.3, 0.5, 0.7, 1, 1.5, 2, 3, 5]))
    ax.xaxis.set_major_formatter(ScalarFormatter())
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set(title="Hazard ratios of exit to work (95% intervals)", xlabel="hazard ratio (log scale)")
    ax.legend(loc="lower left")
    return fig


# ------------------------------------------------------------------------ a stored run
def resolve_run(directory: str | Path, run: str | None = None) -> tuple[Path, Path, str | None]:
    """The run directory to analyse and where to write: a run directory itself, or a run of an
    experiment (``run`` = ``arm/rN``, default ``baseline/r0``). Returns (run dir, output dir,
    the run's key or None)."""
    directory = Path(directory)
    if not directory.is_dir():
        raise UserError(f"{directory}: {'not a directory' if directory.exists() else 'no such directory'}.")
    if store.has_runs(directory):
        key = run or "baseline/r0"
        run_dir = store.run_dir(directory, key)
        if not run_dir.is_dir():
            raise UserError(f"{directory}: has no run {key} under runs/; give --run ARM/rN.")
        out = directory / "analysis" / key
    else:
        if run is not None:
            raise UserError(f"{directory}: --run is for an experiment directory (with runs/), this has none.")
        run_dir, out, key = directory, directory / "analysis", None
    missing = [f"{t}.parquet" for t in ("spells", "events") if not store.table_path(run_dir, t).is_file()]
    if missing:
        raise UserError(f"{run_dir}: no {' or '.join(missing)} here; give a directory written by `labour-abm run`, "
                        "or an experiment's or sweep's that kept its runs' tables (keep = \"all\" in an experiment "
                        "file or --keep all; keep_tables = true in a sweep file).")
    return run_dir, out, key


def _months_of(run_dir: Path) -> int:
    if store.table_path(run_dir, "monthly").is_file():
        return len(store.read_table(store.table_path(run_dir, "monthly"), columns=["month"]))
    try:
        return int(json.loads((run_dir / store.MANIFEST).read_text())["months_run"])
    except (OSError, ValueError, KeyError, TypeError):
        raise UserError(f"{run_dir}: neither monthly.parquet nor a manifest.json with months_run; "
                        "cannot tell how many months the run lasted.") from None


def analyse_run(directory: str | Path, run: str | None = None, plot: bool = True) -> dict:
    """All the estimators on one stored run; writes ``analysis/`` next to it (km.csv,
    hazards.csv, duration_model.csv, recidivism.csv, return_curves.csv, and the plots as PNG
    and SVG). Returns the tables and where they went."""
    run_dir, out, key = resolve_run(directory, run)
    months = _months_of(run_dir)
    spells = store.read_table(store.table_path(run_dir, "spells"))
    events = store.read_table(store.table_path(run_dir, "events"))
    if "start_month" not in spells or "event" not in events:
        raise UserError(f"{run_dir}: spells.parquet or events.parquet lacks the columns of docs/outputs.md.")
    km = kaplan_meier_table(spells, months, by=SURVIVAL_GROUPS)
    hazards = exit_hazards_by_duration(spells, months, bands=HAZARD_BANDS)
    pm = person_months(spells, events, months)
    main = piecewise_exponential(pm, MODEL_COVARIATES).assign(model="main")
    since = pm["months_since_sanction"].to_numpy()
    pm["sanctioned_1_6m"] = ((since >= 1) & (since <= POST_SANCTION_MONTHS)).astype(np.int8)
    pm["sanctioned_7m_plus"] = (since > POST_SANCTION_MONTHS).astype(np.int8)
    timing = piecewise_exponential(pm, ["sanctioned_1_6m", "sanctioned_7m_plus", *MODEL_COVARIATES[1:]])
    model = pd.concat([main, timing.assign(model="time_since_sanction")], ignore_index=True)
    model = model[["model", *main.columns.drop("model")]]
    returns = recidivism(spells, months)
    k = min(months - 1, RETURN_CURVE_MONTHS)
    curves = pd.concat([return_curve(spells, months, "work", k), return_curve(spells, months, None, k)],
                       ignore_index=True)
    out.mkdir(parents=True, exist_ok=True)
    tables = {"km": km, "hazards": hazards, "duration_model": model, "recidivism": returns,
              "return_curves": curves}
    for name, table in tables.items():
        atomic_write(out / f"{name}.csv", lambda tmp, table=table: table.to_csv(tmp, index=False))
    if plot:
        from .plots import save

        save(plot_km(km), out / "km")
        save(plot_hazards(hazards), out / "hazards")
        save(plot_return_curves(curves), out / "return_curves")
        save(plot_duration_model(model), out / "duration_model")
    n_spells = int((spells["start_month"] >= 0).sum())
    return {**tables, "out": out, "run": key, "months": months, "n_spells_in_run": n_spells,
            "n_person_months": int(len(pm)), "n_events": int(pm["exit_work"].sum())}
