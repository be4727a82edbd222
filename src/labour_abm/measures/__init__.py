"""Policy measures as plug-ins. ``REGISTRY`` maps the names used in experiment files to classes."""

from __future__ import annotations

from pydantic import ValidationError

from ..errors import UserError
from .base import Measure
from .debt_help import DebtHelp

REGISTRY: dict[str, type[Measure]] = {m.name: m for m in (DebtHelp,)}


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
