"""One cost accounting per arm and window, read off the effects table.

For a window of the first w months, every line is arm minus baseline over those months: the
measures' gross cost (their own spending plus benefit paid above the statutory earnings
disregard), the change in benefit paid, the change in public cost (benefit paid plus the
measures' spending), and the change in the municipal BUIG balance after the safety net. The
extra durable outcomes are the exits to work and the claimants placed in work at the gate in
those w months who stayed off benefit for 12 months after, so they are seen at w + 12. The
costs per extra durable outcome divide the first and the third line by them. Nothing is
computed here: each line is a row of effects.csv, relabelled by its window.
"""

from __future__ import annotations

import pandas as pd

from .effects import DURABLE_OUTCOME, ENSEMBLE_COLUMNS, RATIO_COSTS
from .outcomes import DURABLE_MONTHS

# line -> (outcome in the effects table, months after the window at which it is read)
LINES = {
    "measure_gross_cost_eur": ("measure_gross_cost_eur", 0),
    "benefit_spending_change_eur": ("benefit_spending_eur", 0),
    "public_cost_change_eur": ("public_cost_eur", 0),
    "budget_balance_change_eur": ("budget_balance_eur", 0),
    "extra_durable_outcomes": (DURABLE_OUTCOME, DURABLE_MONTHS),
    **{name: (name, DURABLE_MONTHS) for name in RATIO_COSTS},
}
COLUMNS = ["arm", "window_months", "line", "effect_mean", "ci_low", "ci_high", "n_replications"]


def cost_accounting(effects: pd.DataFrame) -> pd.DataFrame:
    """Tidy table (COLUMNS, and the ensemble's columns when the effects have them) of every arm's
    accounting for each window w whose durable outcomes were seen (a run of at least w + 12
    months); lines in the order of LINES."""
    overall = effects[effects["group"] == "all"].set_index(["arm", "outcome", "horizon_months"])
    spread = [c for c in ENSEMBLE_COLUMNS if c in effects]  # an experiment over a parameter ensemble
    values = ["effect_mean", "ci_low", "ci_high", "n_replications", *spread]
    frames = []
    for arm in dict.fromkeys(effects["arm"]):
        seen = overall.loc[arm].xs(DURABLE_OUTCOME, level="outcome").index if arm in overall.index else []
        for window in (h - DURABLE_MONTHS for h in seen):
            keys = [(arm, outcome, window + lag) for outcome, lag in LINES.values()]
            if not all(key in overall.index for key in keys):
                continue
            rows = overall.loc[keys, values].reset_index(drop=True)
            frames.append(rows.assign(arm=arm, window_months=window, line=list(LINES)))
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    return pd.concat(frames, ignore_index=True)[COLUMNS + spread]
