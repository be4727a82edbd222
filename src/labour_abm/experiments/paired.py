"""A run with measures and its baseline, stepped together month by month (the dashboard's model).

Both runs use the same seed, so with common random numbers every difference between them is the
measures' doing (DESIGN.md). The key numbers come from :func:`labour_abm.analysis.outcomes.run_outcomes`,
the function experiments use, and :meth:`PairedRun.experiment_toml` writes the settings as an
experiment file: ``labour-abm experiment`` on it reproduces the same numbers (tested).
"""

from __future__ import annotations

import datetime
import json
from typing import Any

import mesa
import pandas as pd

from ..analysis.outcomes import run_outcomes
from ..core import presets
from ..core.model import LabourModel
from ..measures import REGISTRY, make_measure
from .run import events_table, spells_table

ARM = "measures"  # the experiment arm holding the dashboard's measures


def main_parameter(name: str) -> str:
    """The parameter a dashboard slider sets: the first one a measure declares (its size or reach)."""
    return next(iter(REGISTRY[name].Params.model_fields))


class PairedRun(mesa.Model):
    """Two :class:`LabourModel` runs of one city and seed, with and without ``measures``.

    Args:
        preset: City preset.
        labour_market: Labour-market scenario (``stable``, ``upswing``, ``covid``).
        seed: Seed of both runs.
        months: Months to simulate; ``running`` turns False after the last.
        measures: Measure name -> its parameters (only those that differ from the defaults).
    """

    def __init__(self, preset: str = presets.DEFAULT_PRESET, labour_market: str = "stable", seed: int = 1,
                 months: int = 120, measures: dict[str, dict[str, Any]] | None = None):
        super().__init__(seed=seed)
        self.settings = {"preset": preset, "labour_market": labour_market, "seed": int(seed), "months": int(months),
                         "measures": {name: dict(p) for name, p in (measures or {}).items()}}
        built = [make_measure(name, p) for name, p in self.settings["measures"].items()]
        common = {"preset": preset, "seed": int(seed), "labour_market": labour_market, "months": int(months)}
        self.arm = LabourModel(measures=built, **common)
        self.baseline = LabourModel(**common)
        self.running = self.arm.running

    def step(self) -> None:
        self.arm.step()
        self.baseline.step()
        self.running = self.arm.running and self.baseline.running

    @property
    def months_done(self) -> int:
        return self.steps

    def monthly(self) -> dict[str, pd.DataFrame]:
        """Monthly statistics so far, by arm (``measures`` and ``baseline``)."""
        return {ARM: _monthly(self.arm), "baseline": _monthly(self.baseline)}

    def outcomes(self) -> pd.DataFrame:
        """Outcomes after the months done so far: one row per outcome, columns measures, baseline,
        difference (as ``effect_mean`` in an experiment's effects.csv at this horizon)."""
        if self.months_done == 0:
            return pd.DataFrame(columns=[ARM, "baseline", "difference"])
        values = {}
        for arm, model in ((ARM, self.arm), ("baseline", self.baseline)):
            table = run_outcomes(_monthly(model), spells_table(model), events_table(model), groups=False)
            values[arm] = table[table["horizon_months"] == self.months_done].set_index("outcome")["value"]
        out = pd.DataFrame(values)
        out["difference"] = out[ARM] - out["baseline"]
        return out

    def key_numbers(self) -> dict[str, float | None]:
        """What the dashboard's panel shows: extra exits to work and people durably in work so
        far, the measures' gross cost, the change in public cost (benefits plus measures), and
        the gross cost per extra exit to work (None where there is no extra exit)."""
        o = self.outcomes()
        if o.empty:
            return {"month": 0}
        extra = float(o.loc["exits_to_work", "difference"])
        cost = float(o.loc["measure_gross_cost_eur", "difference"])
        return {
            "month": self.months_done,
            "stock_measures": float(o.loc["stock", ARM]),
            "stock_baseline": float(o.loc["stock", "baseline"]),
            "extra_exits_to_work": extra,
            "extra_durable_outcomes_12": float(o.loc["durable_outcomes_12", "difference"]),
            "measure_gross_cost_eur": cost,
            "public_cost_change_eur": float(o.loc["public_cost_eur", "difference"]),
            "cost_per_extra_exit_eur": cost / extra if extra > 0 else None,
        }

    def experiment_toml(self, name: str = "dashboard") -> str:
        """The settings as an experiment file for ``labour-abm experiment``: one replication with
        this seed over the months done so far (all months if none), measures against baseline."""
        s = self.settings
        entries = []
        for measure, params in s["measures"].items():
            settings = ", ".join(f"{k} = {_toml(v)}" for k, v in params.items())
            entries.append(f"  {{ name = {json.dumps(measure)}" + (f", parameters = {{ {settings} }}" if params else "")
                           + " },\n")
        return (
            f"# Exported from the labour-abm dashboard on {datetime.date.today().isoformat()}. Replication 0 uses the\n"
            "# dashboard's seed and reproduces its numbers; raise `replications` for confidence intervals.\n"
            f"name = {json.dumps(name)}\n"
            f"description = {json.dumps('Dashboard settings: ' + (', '.join(s['measures']) or 'no measures'))}\n"
            f"preset = {json.dumps(s['preset'])}\n"
            f"labour_market = {json.dumps(s['labour_market'])}\n"
            f"months = {self.months_done or s['months']}\n"
            "replications = 1\n"
            f"seed = {s['seed']}\n\n"
            "[arms.baseline]\n\n"
            f"[arms.{ARM}]\n"
            f"measures = [\n{''.join(entries)}]\n"
        )


def _monthly(model: LabourModel) -> pd.DataFrame:
    return model.datacollector.get_model_vars_dataframe().reset_index(drop=True)


def _toml(value: Any) -> str:
    """A parameter value in TOML (numbers, booleans and strings are all measures use)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value)
    return repr(value)
