"""A small regression baseline of summary outcomes: the baseline, every measure and a programme,
each at one fixed seed, so that any change in results shows at once (tests/test_regression.py).

Each configuration is summarised by its outcomes at every horizon (``run_outcomes``, all
recipients) and the total of every monthly column over the run, the measure's own columns
included. A model change that is meant to change results refreshes the stored file:

    .venv/bin/python -m tests.regression --refresh

and the commit says why the numbers moved (``git diff tests/data/regression_baseline.json``).
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import labour_abm

PATH = Path(__file__).with_name("data") / "regression_baseline.json"
SIZE = {"initial_stock": 2000, "months": 36}
PROGRAMME = "nijmegen_masterplan"


def configurations() -> dict[str, dict]:
    """Name -> keyword arguments of ``labour_abm.simulate`` (measures as names, built per run)."""
    out = {"baseline": {"seed": 7}}
    out.update({f"measure:{name}": {"seed": 7, "measures": [name]} for name in sorted(labour_abm.MEASURES)})
    out[f"programme:{PROGRAMME}"] = {"seed": 7, "programme": PROGRAMME}
    return out


def summarise(config: dict) -> dict[str, float]:
    """The summary numbers of one configuration (flat: ``outcome@horizon`` and ``total:column``)."""
    from labour_abm.analysis.outcomes import run_outcomes
    from labour_abm.measures import make_measure, programmes

    measures = [make_measure(name) for name in config.get("measures", [])]
    if "programme" in config:
        measures = programmes.measures(config["programme"])
    result = labour_abm.simulate("nijmegen", seed=config["seed"], measures=measures, **SIZE)
    outcomes = run_outcomes(result.monthly, result.spells, result.events, groups=False)
    numbers = {f"{r.outcome}@{r.horizon_months}": float(r.value) for r in outcomes.itertuples()}
    numbers.update({f"total:{c}": float(result.monthly[c].sum()) for c in result.monthly.columns})
    return numbers


def compute() -> dict[str, dict[str, float]]:
    return {name: summarise(config) for name, config in configurations().items()}


def differences(stored: dict, fresh: dict, rel: float = 1e-9) -> list[str]:
    """Where ``fresh`` differs from ``stored``: configurations or numbers added or missing, values
    apart by more than ``rel`` (relative; counts are whole numbers, so any change in them shows)."""
    out = []
    for name in sorted(set(stored) | set(fresh)):
        if name not in fresh or name not in stored:
            out.append(f"{name}: {'missing now' if name not in fresh else 'new (not stored)'}")
            continue
        a, b = stored[name], fresh[name]
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                out.append(f"{name} {key}: {'missing now' if key not in b else 'new (not stored)'}")
            elif not math.isclose(a[key], b[key], rel_tol=rel, abs_tol=1e-9):
                out.append(f"{name} {key}: stored {a[key]!r}, now {b[key]!r}")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--refresh", action="store_true", help="store the current numbers as the baseline")
    args = parser.parse_args()
    fresh = compute()
    if args.refresh:
        PATH.parent.mkdir(exist_ok=True)
        PATH.write_text(json.dumps(fresh, indent=1, sort_keys=True) + "\n")
        print(f"stored {len(fresh)} configurations in {PATH}")
        return 0
    diff = differences(json.loads(PATH.read_text()), fresh)
    print("\n".join(diff) or "no differences")
    return 1 if diff else 0


if __name__ == "__main__":
    raise SystemExit(main())
