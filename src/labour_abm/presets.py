"""City presets: data files (``presets/*.toml``) with provenance, not code."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

from .errors import UserError

DEFAULT_PRESET = "nijmegen"


def _folder():
    return resources.files("labour_abm.data").joinpath("presets")


@cache
def _load(name: str) -> dict[str, Any]:
    path = _folder().joinpath(f"{name}.toml")
    with path.open("rb") as f:
        data = tomllib.load(f)
    return data


def available() -> list[str]:
    return sorted(p.name.removesuffix(".toml") for p in _folder().iterdir()
                  if p.name.endswith(".toml"))


def info(name: str) -> dict[str, Any]:
    """The preset's description and sources (its ``[preset]`` table)."""
    return dict(_load(_check(name))["preset"])


def preset_parameters(name: str | None) -> dict[str, Any]:
    """The parameter overrides of a preset (``None`` means the default preset)."""
    name = _check(name or DEFAULT_PRESET)
    return dict(_load(name).get("parameters", {}))


def _check(name: str) -> str:
    names = available()
    if name not in names:
        raise UserError(f"unknown preset '{name}'. Available presets: {', '.join(names)}.")
    return name
