"""An optional adapter to the EMA Workbench (exploratory modelling and analysis).

Install it with ``pip install 'labour_abm[ema]'`` (it needs ``ema_workbench`` >= 2.5). This
module imports ``ema_workbench`` only inside :func:`ema_model`, so ``import labour_abm.adapters.ema``
and :func:`run_point` work without it.

The mapping
-----------
One EMA experiment (a scenario and a policy) is one *point*. :func:`run_point` runs it: the
baseline and the arm, at the same seed (common random numbers), so the arm differs from the
baseline only by the measures' effect.

* **Uncertainties** are model parameters by name (``labour-abm params``), e.g.
  ``hire_probability_per_application`` or ``labour_market``. They apply to the baseline and
  the arm alike. A measure parameter (``<measure>.<param>``, e.g.
  ``personal_approach.contact_effect_multiplier``) may be an uncertainty too: how well a
  measure works is often as unknown as the labour market; it applies to the arm only.
* **Levers** are measures. A boolean lever ``<measure>`` switches the measure on in the arm;
  a lever ``<measure>.<param>`` sets one of its parameters (``labour-abm measures``). A
  measure is on exactly when its switch is True; a measure parameter needs a switch for its
  measure (a lever or a fixed value), else :class:`UserError`. The baseline has no measures.
* **Fixed values** (``fixed``) are held constant for every point: model parameters (for both
  runs) and measure switches or parameters (for the arm), e.g. ``{"initial_stock": 3000,
  "personal_approach": True}``. A spec that is a single value (``True``, ``75.0``) in
  ``uncertainties`` or ``levers`` is held fixed in the same way.
* **Outcomes** are the outcomes of :data:`labour_abm.analysis.outcomes.OUTCOMES`, overall (group
  ``all``) at ``horizon`` months (default: the end of the run). For each requested outcome
  ``o`` the model reports ``o`` (the arm's value) and ``o_effect`` (arm minus baseline, paired
  at the same seed), and always ``public_cost_change_eur`` (arm minus baseline
  ``public_cost_eur``, cumulative: negative means the arm is cheaper for the public purse; every
  effect is arm minus baseline, as in ``effects.csv``) and ``extra_durable_outcomes_12`` (arm
  minus baseline ``durable_outcomes_12``: durable exits plus claimants kept off benefit in work).
  With replications, EMA reports the mean over replications (``ScalarOutcome(...,
  function=np.mean)``).
* **Seeds**: replication r of every point runs with seed ``seed + r`` (EMA's
  ``ReplicatorModel.replications = [{"seed": seed + r}, ...]``), the same in every scenario
  and policy, so results do not depend on the evaluator or the number of workers. EMA 2.5's
  Latin hypercube draws from numpy's global random state: call ``np.random.seed(k)`` before
  ``perform_experiments`` to get the same design (and so the same outcomes) again.

Specs: a tuple ``(low, high)`` is a range (an integer parameter gives an ``IntegerParameter``,
else a ``RealParameter``); a list ``[a, b, ...]`` is a set of categories
(``CategoricalParameter``; ``[False, True]`` for a switch). Ranges must lie within the
parameter's declared bounds; each end and each category is validated with the preset and the
fixed values. EMA names must be Python identifiers, so ``<measure>.<param>`` is named
``<measure>__<param>`` in EMA (the experiments table's columns); both spellings are accepted
here.

Note: some measures set model parameters themselves (``personal_approach`` sets
``trust_build_months`` and ``consultant_turnover_per_month``); in the arm the measure's
value wins over an uncertainty on the same parameter (:func:`ema_model` warns).

Example::

    import numpy as np
    from ema_workbench import perform_experiments
    from labour_abm.adapters.ema import ema_model

    model = ema_model(
        "personalapproach", months=36, replications=2,
        uncertainties={"hire_probability_per_application": (0.04, 0.10),
                       "labour_market": ["stable", "upswing", "covid"]},
        levers={"personal_approach": True, "personal_approach.caseload_per_consultant": (50.0, 125.0)},
        outcomes=["durable_exits_12", "stock"], fixed={"initial_stock": 3000},
    )
    np.random.seed(1)
    experiments, outcomes = perform_experiments(model, scenarios=20, policies=3)
    outcomes["public_cost_change_eur"]         # one mean per experiment

See docs/ema.md and ``experiments/ema_personal_approach_prim.py`` (PRIM scenario discovery).
"""

from __future__ import annotations

import math
import typing
import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np

from ..core import presets
from ..core.params import Parameters, resolve_parameters
from ..errors import UserError
from ..measures import REGISTRY, Measure, make_measure

INSTALL_HINT = "pip install 'labour_abm[ema]'"
DEFAULT_OUTCOMES = ("durable_exits_12", "stock", "public_cost_eur")
DERIVED = ("public_cost_change_eur", "extra_durable_outcomes_12")
_RESERVED = {"months", "seed"}  # given as arguments, never as uncertainties or fixed values


# ------------------------------------------------------------------------------------ names
def _canonical(key: str) -> str:
    """``measure__param`` (an EMA name) -> ``measure.param``; other keys unchanged."""
    return key.replace("__", ".", 1) if "." not in key and "__" in key else key


def ema_name(key: str) -> str:
    """The EMA name of a key: ``measure.param`` -> ``measure__param`` (names must be identifiers)."""
    return key.replace(".", "__", 1)


def _is_measure_key(key: str) -> bool:
    return key in REGISTRY or "." in key


def _measure_of(key: str, where: str) -> tuple[str, str | None]:
    """(measure, parameter or None) of a measure key; UserError for an unknown measure."""
    measure, _, param = key.partition(".")
    if measure not in REGISTRY:
        raise UserError(f"{where}'{key}': unknown measure '{measure}'. Valid measures: {', '.join(sorted(REGISTRY))} "
                        "(see `labour-abm measures`).")
    return measure, param or None


def _plain(value: Any) -> Any:
    """numpy scalars -> Python scalars (pydantic refuses numpy integers)."""
    return value.item() if isinstance(value, np.generic) else value


def outcome_names(outcomes: Iterable[str] = DEFAULT_OUTCOMES) -> list[str]:
    """The names :func:`run_point` returns (and :func:`ema_model` reports) for these outcomes."""
    names = []
    for o in outcomes:
        names += [o, f"{o}_effect"]
    return names + [d for d in DERIVED if d not in names]


def _check_outcomes(outcomes: Iterable[str]) -> tuple[str, ...]:
    from ..analysis.outcomes import OUTCOMES

    if isinstance(outcomes, str):
        outcomes = (outcomes,)
    outcomes = tuple(outcomes)
    bad = [o for o in outcomes if o not in OUTCOMES]
    if bad:
        raise UserError(f"unknown outcome(s) {', '.join(bad)}. Valid outcomes: {', '.join(OUTCOMES)}.")
    return outcomes


# ------------------------------------------------------------------------------- one point
def _split(values: Mapping[str, Any], where: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(model parameters, measure keys) of a dict; keys canonical, values plain Python."""
    params: dict[str, Any] = {}
    measures: dict[str, Any] = {}
    for key, value in (values or {}).items():
        key = _canonical(key)
        if key in _RESERVED:
            raise UserError(f"{where}'{key}' is given as an argument (months=..., seed=...), not here.")
        (measures if _is_measure_key(key) else params)[key] = _plain(value)
    return params, measures


def _not_a_measure(key: str, where: str) -> None:
    """A lever must be a measure: say whether the key is a model parameter or an unknown name."""
    if key in Parameters.model_fields:
        raise UserError(f"{where}'{key}' is a model parameter, not a measure: levers are measures ('<measure>' or "
                        "'<measure>.<parameter>', see `labour-abm measures`); make it an uncertainty or a fixed value.")
    raise UserError(f"{where}unknown measure '{key}'. Valid measures: {', '.join(sorted(REGISTRY))} "
                    "(see `labour-abm measures`).")


def build_measures(settings: Mapping[str, Any], where: str = "levers: ") -> list[Measure]:
    """The measures switched on by ``settings`` (``{"m": True, "m.param": value}``), built and validated."""
    switches: dict[str, bool] = {}
    params: dict[str, dict[str, Any]] = {}
    for key, value in settings.items():
        key = _canonical(key)
        measure, param = _measure_of(key, where)
        value = _plain(value)
        if param is None:
            if not isinstance(value, bool):
                raise UserError(f"{where}'{key}' switches measure '{measure}' on or off, so it must be True or "
                                f"False (got {value!r}); set its parameters as '{measure}.<parameter>'.")
            switches[measure] = value
        else:
            params.setdefault(measure, {})[param] = value
    orphans = sorted(set(params) - set(switches))
    if orphans:
        raise UserError(f"{where}parameters of measure(s) {', '.join(orphans)} are set, but nothing switches them on: "
                        f"add a lever or fixed value '{orphans[0]}' (True, or [False, True]).")
    measures = []
    for measure, on in switches.items():
        built = make_measure(measure, params.get(measure, {}), where=where)  # validated even when off
        if on:
            measures.append(built)
    return measures


def _values_at(monthly, spells, events, horizon: int) -> dict[str, float]:
    """The overall outcomes at ``horizon`` (the run is causal: later months do not change them)."""
    from ..analysis.outcomes import run_outcomes

    rows = run_outcomes(monthly.iloc[:horizon], spells, events)
    rows = rows[(rows["group"] == "all") & (rows["horizon_months"] == horizon)]
    return dict(zip(rows["outcome"], rows["value"].astype(float), strict=True))


def _simulate(preset: str, seed: int, measures: list[Measure], params: dict[str, Any], horizon: int):
    from ..core.model import LabourModel
    from ..experiments.run import events_table, spells_table

    model = LabourModel(preset=preset, measures=measures, seed=seed, **params)
    for _ in range(horizon):
        model.step()
    monthly = model.datacollector.get_model_vars_dataframe().reset_index(drop=True)
    return _values_at(monthly, spells_table(model), events_table(model), horizon)


def run_point(
    preset: str = presets.DEFAULT_PRESET,
    months: int = 48,
    seed: int = 1,
    uncertain: Mapping[str, Any] | None = None,
    levers: Mapping[str, Any] | None = None,
    outcomes: Iterable[str] = DEFAULT_OUTCOMES,
    horizon: int | None = None,
    fixed: Mapping[str, Any] | None = None,
) -> dict[str, float]:
    """Run the baseline and the arm with the levers' measures at one seed; return outcomes and paired effects.

    ``uncertain`` and ``fixed`` hold model parameters (both runs) and measure keys (the arm);
    ``levers`` holds measure keys: ``<measure>`` (True/False) and ``<measure>.<param>``.
    Returns, at ``horizon`` (default ``months``), for each outcome ``o``: ``o`` (the arm) and
    ``o_effect`` (arm minus baseline), plus ``public_cost_change_eur`` and ``extra_durable_outcomes_12``.
    When no measure is on, the arm is the baseline (every effect is exactly 0; one run is saved).
    """
    outcomes = _check_outcomes(outcomes)
    if not isinstance(months, int) or isinstance(months, bool) or not 1 <= months <= 600:
        raise UserError(f"months must be an integer 1 .. 600 (got {months!r}).")
    horizon = months if horizon is None else _plain(horizon)
    if not isinstance(horizon, int) or isinstance(horizon, bool) or not 1 <= horizon <= months:
        raise UserError(f"horizon must be an integer 1 .. months ({months}) (got {horizon!r}).")
    fixed_params, fixed_measures = _split(fixed or {}, "fixed: ")
    unc_params, unc_measures = _split(uncertain or {}, "uncertain: ")
    lever_params, lever_measures = _split(levers or {}, "levers: ")
    for key in lever_params:
        _not_a_measure(key, "levers: ")
    params = {**fixed_params, **unc_params, "months": months}
    resolve_parameters(presets.preset_parameters(preset), params, where="parameters: ")  # names, bounds, checks
    measures = build_measures({**fixed_measures, **unc_measures, **lever_measures})

    base = _simulate(preset, int(seed), [], params, horizon)
    arm = _simulate(preset, int(seed), measures, params, horizon) if measures else base
    out = {}
    for o in outcomes:
        out[o] = arm[o]
        out[f"{o}_effect"] = arm[o] - base[o]
    out["public_cost_change_eur"] = arm["public_cost_eur"] - base["public_cost_eur"]
    out["extra_durable_outcomes_12"] = arm["durable_outcomes_12"] - base["durable_outcomes_12"]
    return out


class PointFunction:
    """The function an EMA model calls: ``f(seed=..., **sampled) -> run_point(...)`` (picklable for workers)."""

    def __init__(self, preset: str, months: int, outcomes: tuple[str, ...], horizon: int | None,
                 fixed: dict[str, Any], uncertainties: Iterable[str], levers: Iterable[str]):
        self.preset, self.months, self.outcomes, self.horizon = preset, months, outcomes, horizon
        self.fixed = dict(fixed)
        self.uncertainties = {ema_name(k): k for k in uncertainties}
        self.levers = {ema_name(k): k for k in levers}

    def __call__(self, seed: int, **sampled: Any) -> dict[str, float]:
        uncertain = {self.uncertainties[k]: v for k, v in sampled.items() if k in self.uncertainties}
        levers = {self.levers[k]: v for k, v in sampled.items() if k in self.levers}
        unknown = set(sampled) - set(self.uncertainties) - set(self.levers)
        if unknown:
            raise UserError(f"the EMA model got inputs it does not know: {', '.join(sorted(unknown))}.")
        return run_point(self.preset, self.months, seed, uncertain, levers, self.outcomes, self.horizon, self.fixed)


# ------------------------------------------------------------------------------- EMA model
def _require_ema():
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*ipyparallel.*")  # optional EMA back-end, not needed
            import ema_workbench
    except ImportError as exc:
        raise UserError(f"the EMA Workbench adapter needs ema_workbench: {INSTALL_HINT}") from exc
    return ema_workbench


def _field(key: str, where: str):
    """(annotation, lower bound, upper bound) of a model or measure parameter."""
    if _is_measure_key(key):
        measure, param = _measure_of(key, where)
        if param is None:
            return bool, None, None
        fields = REGISTRY[measure].Params.model_fields
        if param not in fields:
            raise UserError(f"{where}'{key}': measure '{measure}' has no parameter '{param}'. "
                            f"Valid: {', '.join(fields)}.")
        field = fields[param]
    else:
        if key not in Parameters.model_fields:
            resolve_parameters({key: None}, where=where)  # raises the usual message (with suggestions)
        field = Parameters.model_fields[key]
    lo = next((m.ge for m in field.metadata if getattr(m, "ge", None) is not None), None)
    hi = next((m.le for m in field.metadata if getattr(m, "le", None) is not None), None)
    return field.annotation, lo, hi


def _bounds_text(lo, hi) -> str:
    return f"[{'-inf' if lo is None else lo}, {'inf' if hi is None else hi}]"


def _ema_parameter(ema, key: str, spec: Any, where: str, check: Callable[[Any], None]):
    """An EMA parameter for ``key``; None when the spec is a single value (held fixed)."""
    annotation, lo, hi = _field(key, where)
    name = ema_name(key)
    categories = list(typing.get_args(annotation)) if typing.get_origin(annotation) is typing.Literal else None
    if isinstance(spec, tuple):
        if annotation is bool or categories is not None:
            allowed = [False, True] if annotation is bool else categories
            raise UserError(f"{where}'{key}' is categorical: give a list of values from {allowed}, not a range.")
        if len(spec) != 2 or not all(isinstance(_plain(v), int | float) and not isinstance(v, bool) for v in spec):
            raise UserError(f"{where}'{key}': a range is a tuple (low, high) of two numbers (got {spec!r}).")
        low, high = (_plain(v) for v in spec)
        if not (math.isfinite(low) and math.isfinite(high)) or not low < high:
            raise UserError(f"{where}'{key}': range ({low}, {high}) needs finite low < high.")
        if (lo is not None and low < lo) or (hi is not None and high > hi):
            raise UserError(f"{where}'{key}': range ({low}, {high}) is outside the parameter's declared bounds "
                            f"{_bounds_text(lo, hi)}.")
        if annotation is int and not (float(low).is_integer() and float(high).is_integer()):
            raise UserError(f"{where}'{key}' is an integer parameter: the range ({low}, {high}) needs integer ends.")
        check(low)
        check(high)
        if annotation is int:
            return ema.IntegerParameter(name, int(low), int(high))
        return ema.RealParameter(name, float(low), float(high))
    if isinstance(spec, list):
        values = [_plain(v) for v in spec]
        if len(values) < 2 or len(set(map(repr, values))) != len(values):
            raise UserError(f"{where}'{key}': a list of categories needs two or more distinct values (got {spec!r}); "
                            "give a single value to hold it fixed.")
        for v in values:
            check(v)
        if annotation is bool:
            return ema.BooleanParameter(name) if sorted(values) == [False, True] else ema.CategoricalParameter(
                name, values)
        return ema.CategoricalParameter(name, values)
    return None


def ema_model(
    name: str,
    preset: str = presets.DEFAULT_PRESET,
    months: int = 48,
    uncertainties: Mapping[str, Any] | None = None,
    levers: Mapping[str, Any] | None = None,
    outcomes: Iterable[str] = DEFAULT_OUTCOMES,
    replications: int = 3,
    seed: int = 1,
    fixed: Mapping[str, Any] | None = None,
    horizon: int | None = None,
    aggregate: Callable = np.mean,
):
    """The model as an ``ema_workbench.ReplicatorModel``: uncertainties, levers, outcomes, seeded replications.

    ``uncertainties`` and ``levers`` map names to specs: ``(low, high)`` (a range within the
    parameter's bounds), ``[v1, v2, ...]`` (categories) or a single value (held fixed).
    ``fixed`` holds model parameters and measure keys that stay constant. Replication r runs with
    seed ``seed + r``; each outcome is ``aggregate`` (default the mean) over replications. See the
    module docstring for the mapping.
    """
    ema = _require_ema()
    if not isinstance(name, str) or not name.isalnum():
        raise UserError(f"EMA model name must be letters and digits only (got {name!r}).")
    outcomes = _check_outcomes(outcomes)
    if not isinstance(replications, int) or isinstance(replications, bool) or replications < 1:
        raise UserError(f"replications must be an integer >= 1 (got {replications!r}).")
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise UserError(f"seed must be an integer >= 0 (got {seed!r}).")
    if not isinstance(months, int) or isinstance(months, bool):
        raise UserError(f"months must be an integer 1 .. 600 (got {months!r}).")
    fixed = {_canonical(k): _plain(v) for k, v in (fixed or {}).items()}
    fixed_params, fixed_measures = _split(fixed, "fixed: ")
    base = presets.preset_parameters(preset)
    resolve_parameters(base, fixed_params, {"months": months}, where="fixed: ")
    if horizon is not None and (not isinstance(horizon, int) or not 1 <= horizon <= months):
        raise UserError(f"horizon must be an integer 1 .. months ({months}) (got {horizon!r}).")

    sampled: dict[str, dict[str, Any]] = {"uncertainties": {}, "levers": {}}
    held = dict(fixed)
    for kind, specs in (("uncertainties", uncertainties), ("levers", levers)):
        for key, spec in (specs or {}).items():
            key = _canonical(key)
            where = f"{kind}: "
            if key in _RESERVED:
                raise UserError(f"{where}'{key}' is given as an argument of ema_model, not as one of the {kind}.")
            if kind == "levers" and not _is_measure_key(key):
                _not_a_measure(key, where)
            if key in held or key in sampled["uncertainties"] or key in sampled["levers"]:
                raise UserError(f"{where}'{key}' is given twice (among the uncertainties, levers and fixed values).")
            if _is_measure_key(key):
                measure, param = _measure_of(key, where)

                def check(v, measure=measure, param=param, where=where, key=key):
                    if param is not None:
                        make_measure(measure, {param: v}, where=f"{where}'{key}': ")
                    elif not isinstance(v, bool):
                        raise UserError(f"{where}'{key}' switches a measure: its values are True and False "
                                        f"(got {v!r}).")
            else:
                def check(v, key=key, where=where):
                    resolve_parameters(base, fixed_params, {"months": months, key: v}, where=f"{where}{key} = {v!r}: ")
            parameter = _ema_parameter(ema, key, spec, where, check)
            if parameter is None:
                check(_plain(spec))
                held[key] = _plain(spec)
            else:
                sampled[kind][key] = parameter

    # every measure parameter needs a switch for its measure; check with each lever at one of its values
    switch_keys = {k for k in list(held) + list(sampled["uncertainties"]) + list(sampled["levers"]) if k in REGISTRY}
    param_measures = {k.partition(".")[0] for k in list(held) + list(sampled["uncertainties"]) +
                      list(sampled["levers"]) if "." in k}
    missing = sorted(param_measures - switch_keys)
    if missing:
        raise UserError(f"parameters of measure(s) {', '.join(missing)} are set, but nothing switches them on: add "
                        f"'{missing[0]}': True to fixed or levers (or [False, True] to levers).")
    _warn_overridden(list(sampled["uncertainties"]), switch_keys, held)

    held_params, held_measures = _split(held, "fixed: ")
    function = PointFunction(preset, months, outcomes, horizon, {**held_params, **held_measures},
                             sampled["uncertainties"], sampled["levers"])
    model = ema.ReplicatorModel(name, function=function)
    model.uncertainties = list(sampled["uncertainties"].values())
    model.levers = list(sampled["levers"].values())
    model.outcomes = [ema.ScalarOutcome(o, function=aggregate) for o in outcome_names(outcomes)]
    model.replications = [{"seed": seed + r} for r in range(replications)]
    return model


def _warn_overridden(uncertain: list[str], measures: set[str], held: dict[str, Any]) -> None:
    """Warn when a measure (at its fixed or default settings) sets a model parameter that is an uncertainty."""
    for measure in sorted(measures):
        settings = {k.partition(".")[2]: v for k, v in held.items() if k.startswith(f"{measure}.")}
        try:
            overrides = make_measure(measure, settings).parameter_overrides()
        except UserError:
            continue
        for key in sorted(set(overrides) & set(uncertain)):
            warnings.warn(f"uncertainty '{key}' is set by measure '{measure}' in the arm ({overrides[key]!r} at its "
                          "fixed or default settings), so it varies in the baseline only.", stacklevel=3)
