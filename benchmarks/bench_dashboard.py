"""How responsive the dashboard is, without a browser: per month, the time to step both runs
(measures and baseline) and the time to redraw what the page shows (the six figures as PNG and the
key numbers). Target (issue 9): a month's step plus redraw well under a second for ``nijmegen``.

    python benchmarks/bench_dashboard.py [--months 48]
"""

from __future__ import annotations

import argparse
import io
import time

import pandas as pd


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--months", type=int, default=48)
    args = parser.parse_args()
    from labour_abm.experiments.paired import ARM, PairedRun
    from labour_abm.ui import dashboard

    run = PairedRun(preset="nijmegen", months=args.months,
                    measures={"language_centre": {}, "personal_approach": {}, "debt_help": {}})
    steps, redraws = [], []
    for _ in range(args.months):
        t0 = time.perf_counter()
        run.step()
        t1 = time.perf_counter()
        monthly = run.monthly()
        bands = pd.concat([dashboard.monthly_bands([monthly[ARM]], ARM),
                           dashboard.monthly_bands([monthly["baseline"]], "baseline")])
        for fig in [f(bands) for f in dashboard.FIGURES] + [dashboard.budget_figure(monthly)]:
            fig.savefig(io.BytesIO(), format="png")
        dashboard.key_numbers_html(run.key_numbers())
        steps.append(t1 - t0)
        redraws.append(time.perf_counter() - t1)
    n = len(steps)
    print(f"nijmegen, 3 measures, {n} months")
    print(f"  step of both runs: mean {1e3 * sum(steps) / n:.1f} ms, max {1e3 * max(steps):.1f} ms")
    print(f"  redraw (6 figures + key numbers): mean {sum(redraws) / n:.3f} s, max {max(redraws):.3f} s")
    print(f"  step + redraw: mean {(sum(steps) + sum(redraws)) / n:.3f} s per month (target: well under 1 s)")


if __name__ == "__main__":
    main()
