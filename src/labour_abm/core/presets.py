"""City presets: data files (``presets/*.toml``) with provenance, not code."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..errors import UserError, shorter, validated
from ..io.files import read_toml
from .params import resolve_parameters

DEFAULT_PRESET = "nijmegen"


class PresetInfo(BaseModel):
    """A preset file's ``[preset]`` table: what the city is and where its figures come from."""

    model_config = ConfigDict(extra="forbid", strict=True)
    name: str
    description: str
    sources: list[str] = Field(min_length=1)


class PresetFile(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    preset: PresetInfo
    parameters: dict[str, Any] = Field(default_factory=dict)


def _folder():
    return resources.files("labour_abm.data").joinpath("presets")


def load_file(path: str | Path) -> dict[str, Any]:
    """Read and check a preset file: its keys and types, and its parameters on top of the defaults.
    A mistake is a :class:`UserError` naming the file and the key."""
    data, _, where = read_toml(path, "preset")
    validated(PresetFile, data, where, lambda key: " Allowed keys: " + ", ".join(
        PresetInfo.model_fields if key.startswith("preset.") else PresetFile.model_fields) + ".")
    resolve_parameters(data.get("parameters", {}), where=f"{where}[parameters]: ")
    return data


@cache
def _load(name: str) -> dict[str, Any]:
    return load_file(Path(str(_folder().joinpath(f"{name}.toml"))))


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
        raise UserError(f"unknown preset '{shorter(name)}'. Available presets: {', '.join(names)}.")
    return name
