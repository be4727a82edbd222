"""Policy measures as plug-ins. ``REGISTRY`` maps the names used in experiment files to classes."""

from __future__ import annotations

import importlib
import pkgutil

from pydantic import ValidationError

from ..errors import UserError
from .base import REGISTRY, Measure

# every module in this package defines one measure, which registers itself by name
for _info in pkgutil.iter_modules(__path__):
    if _info.name not in ("base", "service"):
        importlib.import_module(f"{__name__}.{_info.name}")


def make_measure(name: str, params: dict | None = None, where: str = "") -> Measure:
    """Build a measure by name; bad names or parameters raise a UserError listing valid ones."""
    if name not in REGISTRY:
        raise UserError(f"{where}unknown measure '{name}'. Valid measures: {', '.join(sorted(REGISTRY))}.")
    cls = REGISTRY[name]
    params = params or {}
    valid = list(cls.Params.model_fields)
    for key in params:
        if key not in valid:
            raise UserError(f"{where}measure '{name}' has no parameter '{key}'. Valid: {', '.join(valid)}.")
    try:
        return cls(**params)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(str(x) for x in err["loc"])
        raise UserError(
            f"{where}measure '{name}', parameter '{key}': {err['msg']} (got {err.get('input')!r})."
        ) from None


def measure_overrides(measures: list[Measure]) -> dict[str, object]:
    """The model parameters the measures set; two measures may not set one differently."""
    out: dict[str, object] = {}
    owner: dict[str, str] = {}
    for measure in measures:
        for key, value in measure.parameter_overrides().items():
            if key in out and out[key] != value:
                raise UserError(
                    f"measures '{owner[key]}' and '{measure.name}' both set parameter '{key}' "
                    f"({out[key]!r} vs {value!r}); switch one of them off or align them."
                )
            out[key], owner[key] = value, measure.name
    return out


def parse_measure(text: str) -> Measure:
    """Parse ``NAME[:key=value,...]`` from the command line."""
    name, _, rest = text.partition(":")
    params: dict[str, object] = {}
    for item in filter(None, (s.strip() for s in rest.split(","))):
        key, eq, value = item.partition("=")
        if not eq:
            raise UserError(f"--measure {text}: expected key=value after ':', got '{item}'.")
        params[key.strip()] = value.strip()
    return make_measure(name.strip(), params, where=f"--measure {text}: ")
