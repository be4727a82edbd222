"""Bad input, fuzzed: every file and flag a user writes is refused cleanly before anything runs.

Hypothesis mutates the shipped files -- experiment files (``experiments/*.toml``), sweep files
(``experiments/sweep_*.toml``), targets (``data/targets/*.toml``), free parameters
(``data/calibration/*.toml``), city presets (``data/presets/*.toml``) and programmes
(``data/programmes/*.toml``) -- on the parsed table (drop a key, add an unknown key, a value of
the wrong type, extreme numbers, empty lists and tables, unicode junk) and on the raw text
(truncated, stray characters, broken TOML, bytes that are not UTF-8), and fuzzes ``--set`` and
``--measure``. The loaders run in-process (fast); every input must either load or raise a
:class:`UserError` whose one-line message names the file (and the key, for a key-level mistake).
Anything else -- KeyError, TypeError, ValueError, a pydantic error, a RecursionError -- would be
a traceback for the user and fails the test. Mutations that certainly make a file invalid (an
unknown key, a wrong type for a strictly typed field, a missing required key, broken TOML)
must be refused. A few cases per file type go end to end through the command (exit code 2, one
line on stderr, no traceback, ``--out`` not created, an existing ``--out`` not touched).

Default: a few hundred inputs per file type (under a minute). Long mode, thousands per type and
a summary of the inputs tried (docs/reliability.md):

    LABOUR_ABM_LONG_TESTS=1 .venv/bin/python -m pytest -s tests/test_bad_input_fuzz.py
"""

from __future__ import annotations

import collections
import datetime as dt
import math
import os
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from labour_abm import errors
from labour_abm.analysis import validation
from labour_abm.analysis.validation import Target, Targets
from labour_abm.core import presets
from labour_abm.core.params import Parameters, parse_assignment, resolve_parameters
from labour_abm.core.presets import PresetFile, PresetInfo
from labour_abm.errors import UserError, shorter
from labour_abm.experiments import calibration, experiment, sweep
from labour_abm.experiments.calibration import FreeParameter, FreeParameters
from labour_abm.experiments.experiment import ArmSpec, ExperimentSpec, MeasureSpec, TargetSpec
from labour_abm.experiments.sweep import SweepSpec, VarySpec
from labour_abm.io import files, store
from labour_abm.measures import REGISTRY, parse_measure, programmes
from labour_abm.measures.programmes import ProgrammeFile
from labour_abm.ui import cli as labour_cli

ROOT = Path(__file__).resolve().parents[1]
LONG = os.environ.get("LABOUR_ABM_LONG_TESTS") == "1"
EXAMPLES = 4000 if LONG else 250      # per file type
FLAG_EXAMPLES = 4000 if LONG else 300  # per flag (--set, --measure)

FILES = {
    "experiment": sorted(p for p in (ROOT / "experiments").glob("*.toml") if not p.name.startswith("sweep_")),
    "sweep": sorted((ROOT / "experiments").glob("sweep_*.toml")),
    "targets": sorted((ROOT / "src" / "labour_abm" / "data" / "targets").glob("*.toml")),
    "free": sorted((ROOT / "src" / "labour_abm" / "data" / "calibration").glob("*.toml")),
    "preset": sorted((ROOT / "src" / "labour_abm" / "data" / "presets").glob("*.toml")),
    "programme": sorted((ROOT / "src" / "labour_abm" / "data" / "programmes").glob("*.toml")),
}
LOADERS = {
    "experiment": experiment.load,
    "sweep": sweep.load,
    "targets": lambda path: validation.load_targets(path=path),
    "free": calibration.load_free,
    "preset": presets.load_file,
    "programme": programmes.load_file,
    "parameters": calibration.read_parameters,
}
ORIGINAL = {kind: {p: p.read_text(encoding="utf-8") for p in paths} for kind, paths in FILES.items()}
# a parameter file (validate --parameters) is written by `labour-abm calibrate`, none is shipped: one like it
FILES["parameters"] = [Path("calibrated.toml")]
ORIGINAL["parameters"] = {FILES["parameters"][0]: "# Calibrated free parameters (labour-abm calibrate).\n[parameters]\n"
                          "hire_probability_per_application = 0.0612\njob_loss_per_month = 0.0071\n"
                          "initial_stock = 2000  # held fixed during the search\n"
                          "labour_market = \"covid\"  # held fixed during the search\n"}
PARSED = {kind: {p: tomllib.loads(t) for p, t in texts.items()} for kind, texts in ORIGINAL.items()}

FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None, print_blob=False,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
FLAG_FUZZ = settings(FUZZ, max_examples=FLAG_EXAMPLES)

# inputs tried, by file type or flag and outcome (printed at the end of the module with -s)
TRIED: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
SECONDS: dict[str, float] = collections.defaultdict(float)


# ------------------------------------------------------------------------------------ TOML out
def toml_key(key: str) -> str:
    return toml_string(key)


def toml_string(s: str) -> str:
    out = []
    for c in s:
        if c in '"\\':
            out.append("\\" + c)
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        return toml_string(v)
    if isinstance(v, dt.date | dt.time):
        return v.isoformat()
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{toml_key(k)} = {toml_value(x)}" for k, x in v.items()) + " }" if v else "{}"
    raise TypeError(type(v))


def dumps(data: dict) -> str:
    """A tiny TOML writer: top-level keys, everything nested as inline tables and arrays."""
    return "".join(f"{toml_key(k)} = {toml_value(v)}\n" for k, v in data.items())


# ------------------------------------------------------------------------------ the schemas
MEASURE_PARAMS = {k for cls in REGISTRY.values() for k in cls.Params.model_fields}
PARAMS = set(Parameters.model_fields)
VARY_KEYS = PARAMS | {f"{n}.{k}" for n, cls in REGISTRY.items() for k in cls.Params.model_fields}


def fields(model) -> set[str]:
    return set(model.model_fields)


def allowed_keys(kind: str, path: tuple) -> set[str] | None:
    """The keys a table at ``path`` may hold (a superset), or None where any name could be valid."""
    p = tuple("*" if i > 0 and path[i - 1] in ("arms", "vary", "free") or isinstance(x, int) else x
              for i, x in enumerate(path))
    table = {
        "experiment": {(): fields(ExperimentSpec), ("parameters",): PARAMS, ("arms", "*"): fields(ArmSpec),
                       ("arms", "*", "parameters"): PARAMS, ("arms", "*", "measures", "*"): fields(MeasureSpec),
                       ("arms", "*", "measures", "*", "parameters"): MEASURE_PARAMS,
                       ("target",): fields(TargetSpec)},
        "sweep": {(): fields(SweepSpec), ("parameters",): PARAMS, ("measures", "*"): fields(MeasureSpec),
                  ("measures", "*", "parameters"): MEASURE_PARAMS, ("vary",): VARY_KEYS,
                  ("vary", "*"): fields(VarySpec)},
        "targets": {(): fields(Targets), ("target", "*"): fields(Target)},
        "free": {(): fields(FreeParameters), ("free",): PARAMS, ("free", "*"): fields(FreeParameter)},
        "preset": {(): fields(PresetFile), ("preset",): fields(PresetInfo), ("parameters",): PARAMS},
        # ("programme",) is open: the city's targets are any numbers named target_...
        "programme": {(): fields(ProgrammeFile), ("measures", "*"): fields(MeasureSpec),
                      ("measures", "*", "parameters"): MEASURE_PARAMS},
        "parameters": {(): {"parameters"}, ("parameters",): PARAMS},
    }[kind]
    return table.get(p)


def matches(path: tuple, patterns) -> bool:
    return any(len(p) == len(path) and all(a == "*" or a == b for a, b in zip(p, path, strict=True))
               for p in patterns)


# dropping these makes a file invalid for sure
REQUIRED = {
    "experiment": [("name",), ("arms",), ("arms", "baseline"), ("arms", "*", "measures", "*", "name"),
                   ("target", "outcome"), ("target", "horizon_months"), ("target", "value")],
    "sweep": [("name",), ("design",), ("vary",), ("samples",), ("measures", "*", "name"), ("vary", "*", "range"),
              ("vary", "*", "values"), ("vary", "*", "range", "*")],
    # ("target",) may go from a file based_on another (it has the base's targets)
    "targets": [("target", "*", "statistic"), ("target", "*", "value"), ("target", "*", "tolerance"),
                ("target", "*", "source")],
    "free": [("free",), ("free", "*", "range"), ("free", "*", "why"), ("free", "*", "range", "*")],
    "preset": [("preset",), ("preset", "name"), ("preset", "description"), ("preset", "sources")],
    "programme": [("programme",), ("measures",), ("programme", "name"), ("programme", "description"),
                  ("programme", "preset"), ("programme", "target"), ("programme", "sources"),
                  ("measures", "*", "name")],
    "parameters": [("parameters",)],
}
# emptying these makes a file invalid for sure
NOT_EMPTY = {
    "experiment": [("arms",), ("seeds",)],
    "sweep": [("vary",), ("vary", "*", "range"), ("vary", "*", "values")],
    "targets": [],
    "free": [("free",), ("free", "*", "range"), ("free", "*", "why")],
    "preset": [("preset", "sources")],
    "programme": [("measures",), ("programme", "sources")],
    "parameters": [],
}


def strict(path: tuple) -> bool:
    """Whether the value at ``path`` is a field of a strict model (not free-form parameter values)."""
    return "parameters" not in path[:-1] and "values" not in path[:-1]


def category(v: Any) -> str:
    for name, t in (("bool", bool), ("int", int), ("float", float), ("str", str), ("list", list), ("dict", dict)):
        if isinstance(v, t):
            return name
    return "datetime"


def incompatible(old: Any, new: Any) -> bool:
    """A strict field holding ``old`` certainly refuses ``new`` (an int may stand for a float)."""
    a, b = category(old), category(new)
    if a == b:
        return False
    if a == "int":
        return b != "float"
    if a == "float":
        return b != "int"
    return True


def nodes(obj: Any, path: tuple = ()):
    """Every (path, value) under ``obj``, not the root itself."""
    items = obj.items() if isinstance(obj, dict) else enumerate(obj) if isinstance(obj, list) else ()
    for k, v in items:
        yield path + (k,), v
        yield from nodes(v, path + (k,))


def get(obj: Any, path: tuple) -> Any:
    for k in path:
        obj = obj[k]
    return obj


def copy_tree(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: copy_tree(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [copy_tree(v) for v in obj]
    return obj


def last_key(path: tuple) -> str | None:
    return next((k for k in reversed(path) if isinstance(k, str)), None)


# ------------------------------------------------------------------------------- strategies
UNICODE_NAMES = st.one_of(
    st.text(min_size=1, max_size=12),
    st.sampled_from(["colour", "Months", "month", "replication", "arm", "measure", "parmeters", "näme", "名前",
                     "🙂", "rank\u200b", "name ", " ", "\u202etxt", "a.b", "a\nb", "tab\there", "x" * 300]),
)
SCALARS = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70), st.floats(), st.booleans(), st.text(max_size=20),
    st.dates(), st.datetimes(timezones=st.just(dt.UTC)), st.sampled_from(["", "12", "0.5", "true", "nan"]),
)
ANY_VALUE = st.recursive(SCALARS, lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=6), c,
                                                                                      max_size=3), max_leaves=6)
EXTREME = st.one_of(
    st.sampled_from([0, -1, 1, 2, -(2**63), 2**63 - 1, 2**63, 2**64, 10**30, -(10**30), 1e308, -1e308, 1.7e308,
                     5e-324, -0.0, 0.0, 0.5, 1.5, -0.5, 1e-9, math.nan, math.inf, -math.inf, 600, 601, 100_000,
                     100_001, 10_001, 1_000_001, 2_000_001]),
    st.floats(), st.integers(min_value=-(10**6), max_value=200), st.integers(min_value=1_000_001),
)
BROKEN_LINES = ["[arms\n", "x = \n", "= 1\n", '"unterminated = 1\n', "[[\n", "a = [1, 2\n", "a = { b = 1\n",
                "a = 1 = 2\n", "a.b = 1\na = 2\n", "\x00\n", "a = 01\n", 'a = """\n', "[a]\n[a]\n",
                "a = 1979-13-45\n", "a = 1\na = 1\n", "\ufeff\n", "a = 'x\n"]
STRAY = st.text(alphabet=st.sampled_from(list("[]{}=\"'#.,\n\t\\ \u00e9\u200b\U0001F600\x01\x7f")) | st.characters(
    blacklist_categories=("Cs", "Nd")), min_size=1, max_size=6)
# mutated values of these keys stay small: a valid design of a million points takes hours to check
BIG_DESIGN_KEYS = {"samples", "levels"}


@dataclass
class Case:
    what: str                 # the mutation, for the failure message
    content: str | bytes      # the file
    certain: bool = False     # the file is certainly invalid
    key: str | None = None    # the key the message must name
    near: tuple = ()          # the message names one of these (a value-level mutation)


@st.composite
def tree_case(draw, kind: str) -> Case:
    path0 = draw(st.sampled_from(FILES[kind]))
    data = copy_tree(PARSED[kind][path0])
    every = list(nodes(data))
    op = draw(st.sampled_from(["drop", "unknown_key", "known_key", "retype", "number", "empty", "unicode",
                               "duplicate"]))
    name = f"{path0.name}: {op}"
    if op == "drop":
        path, _ = draw(st.sampled_from(every))
        parent = get(data, path[:-1])
        del parent[path[-1]]
        certain = matches(path, REQUIRED[kind])
        return Case(f"{name} {path}", dumps(data), certain, last_key(path) if certain else None, path)
    if op == "unknown_key":
        tables = [((), data)] + [(p, v) for p, v in every if isinstance(v, dict)]
        path, table = draw(st.sampled_from(tables))
        allowed = allowed_keys(kind, path)
        key = draw(UNICODE_NAMES.filter(lambda k: k not in table and (allowed is None or k not in allowed)))
        table[key] = draw(ANY_VALUE)
        certain = allowed is not None
        return Case(f"{name} {path + (key,)}", dumps(data), certain, key if certain else None, path)
    if op == "known_key":  # an allowed key the file leaves out, with any value
        tables = [((), data)] + [(p, v) for p, v in every if isinstance(v, dict)]
        choices = [(p, t, k) for p, t in tables for k in sorted((allowed_keys(kind, p) or set()) - set(t))
                   if not (kind == "sweep" and k in BIG_DESIGN_KEYS)]
        assume(choices)
        path, table, key = draw(st.sampled_from(choices))
        table[key] = draw(ANY_VALUE | EXTREME | st.sampled_from(["log", "linear", "sobol", "grid", "stable", "covid"]))
        return Case(f"{name} {path + (key,)} = {table[key]!r}", dumps(data), near=path + (key,))
    if op == "retype":
        path, old = draw(st.sampled_from(every))
        new = draw(ANY_VALUE.filter(lambda v: category(v) != category(old)))
        get(data, path[:-1])[path[-1]] = new
        typed = strict(path) and incompatible(old, new)
        # a number never takes true/false, a list or a table, not even as a free-form parameter value
        certain = typed or (category(old) in ("int", "float") and category(new) in ("bool", "list", "dict", "datetime"))
        return Case(f"{name} {path}: {old!r} -> {new!r}", dumps(data), certain, last_key(path) if typed else None,
                    path)
    if op == "number":
        numbers = [(p, v) for p, v in every if category(v) in ("int", "float")]
        assume(numbers)
        path, old = draw(st.sampled_from(numbers))
        new = draw(EXTREME)
        if kind == "sweep" and path[-1] in BIG_DESIGN_KEYS:
            assume(not 200 < new <= 1_000_000)
        get(data, path[:-1])[path[-1]] = new
        return Case(f"{name} {path}: {old!r} -> {new!r}", dumps(data), near=path)
    if op == "empty":
        containers = [(p, v) for p, v in every if isinstance(v, list | dict)]
        assume(containers)
        path, old = draw(st.sampled_from(containers))
        get(data, path[:-1])[path[-1]] = type(old)()
        certain = matches(path, NOT_EMPTY[kind])
        return Case(f"{name} {path}", dumps(data), certain, last_key(path) if certain else None, path)
    if op == "unicode":
        strings = [(p, v) for p, v in every if isinstance(v, str)]
        path, old = draw(st.sampled_from(strings))
        new = draw(st.text(max_size=30) | st.sampled_from(["", " ", "\x00", "../../etc", "/", ".", "a/b", "CON",
                                                             "\u202e", "x" * 10_000, "nijmegen\x00", "Nijmegen"]))
        get(data, path[:-1])[path[-1]] = new
        return Case(f"{name} {path}: {old!r} -> {new!r}", dumps(data), near=path)
    # duplicate an item of a list (a measure twice, a repeated seed, a range of three)
    lists = [(p, v) for p, v in every if isinstance(v, list) and v]
    assume(lists)
    path, items = draw(st.sampled_from(lists))
    items.append(copy_tree(draw(st.sampled_from(items))))
    certain = matches(path, [("seeds",), ("vary", "*", "range"), ("free", "*", "range")])
    return Case(f"{name} {path}", dumps(data), certain, last_key(path) if certain else None, path)


@st.composite
def text_case(draw, kind: str) -> Case:
    path0 = draw(st.sampled_from(FILES[kind]))
    text = ORIGINAL[kind][path0]
    op = draw(st.sampled_from(["truncate", "insert", "broken", "not_utf8"]))
    name = f"{path0.name}: {op}"
    if op == "truncate":
        i = draw(st.integers(0, len(text) - 1))
        return Case(f"{name} at {i}", text[:i])
    if op == "insert":
        i = draw(st.integers(0, len(text)))
        junk = draw(STRAY)
        return Case(f"{name} {junk!r} at {i}", text[:i] + junk + text[i:])
    if op == "broken":  # a broken line at the start or the end, never inside a multi-line string
        line = draw(st.sampled_from(BROKEN_LINES))
        at_end = draw(st.booleans())
        bom_at_start = line == "\ufeff\n" and not at_end  # a byte-order mark opening the file is allowed
        return Case(f"{name} {line!r} {'appended' if at_end else 'prepended'}",
                    text + "\n" + line if at_end else line + text, certain=not bom_at_start)
    raw = text.encode("utf-8")
    i = draw(st.integers(0, len(raw)))
    junk = draw(st.sampled_from([b"\xff", b"\xfe\xff", b"\xc3", b"\xed\xa0\x80", b"\x80abc", b"\xf8\x88\x80\x80\x80"]))
    return Case(f"{name} {junk!r} at byte {i}", raw[:i] + junk + raw[i:], certain=True)


def cli_line(exc: UserError) -> str:
    return f"labour-abm: error: {exc}"


def check_file(kind: str, case: Case, path: Path) -> None:
    """Load the mutated file: it loads, or it is refused with a clear one-line message."""
    if isinstance(case.content, bytes):
        path.write_bytes(case.content)
    else:
        path.write_text(case.content, encoding="utf-8")
    before = sorted(path.parent.iterdir())
    t0 = time.perf_counter()
    try:
        loaded = LOADERS[kind](path)
    except UserError as exc:
        message = str(exc)
        TRIED[kind]["refused"] += 1
        assert str(path) in message, f"{case.what}: the message does not name the file: {message}"
        assert len(cli_line(exc).splitlines()) == 1, f"{case.what}: more than one line: {message!r}"
        if case.key is not None:
            assert str(UserError(shorter(case.key))) in message, \
                f"{case.what}: the message does not name {case.key!r}: {message}"
        elif case.near:
            names = [k for k in case.near if isinstance(k, str)]
            assert not names or any(str(UserError(shorter(k))) in message for k in names), \
                f"{case.what}: the message names none of {names}: {message}"
    else:
        TRIED[kind]["accepted"] += 1
        assert not case.certain, f"{case.what}: a certainly invalid file was accepted"
        if kind in ("experiment", "sweep"):  # its name is the default output directory, results/<name>
            name = loaded[0].name
            assert Path("results", name).parent == Path("results") and name not in (".", "..") and "\0" not in name
    finally:
        TRIED[kind]["inputs"] += 1
        SECONDS[kind] += time.perf_counter() - t0
    assert sorted(path.parent.iterdir()) == before, "loading a file wrote something"


# ------------------------------------------------------------------------ the shipped files
@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz dir é")  # a space and a non-ASCII letter in the file's path


@pytest.mark.parametrize("kind", list(FILES))
def test_shipped_files_load_and_survive_the_round_trip(kind, workdir):
    assert FILES[kind], f"no shipped {kind} files found"
    for path0, data in PARSED[kind].items():
        assert tomllib.loads(dumps(data)) == data, path0
        out = workdir / kind / "roundtrip.toml"
        out.parent.mkdir(exist_ok=True)
        out.write_text(dumps(data), encoding="utf-8")
        LOADERS[kind](out)


def _fuzz_test(kind: str):
    @FUZZ
    @given(case=st.one_of(tree_case(kind), tree_case(kind), text_case(kind)))
    def test(case, workdir):
        d = workdir / kind
        d.mkdir(exist_ok=True)
        check_file(kind, case, d / f"bad_{kind}.toml")

    test.__name__ = f"test_mutated_{kind}_files_load_or_are_refused_cleanly"
    return test


test_mutated_experiment_files_load_or_are_refused_cleanly = _fuzz_test("experiment")
test_mutated_sweep_files_load_or_are_refused_cleanly = _fuzz_test("sweep")
test_mutated_targets_files_load_or_are_refused_cleanly = _fuzz_test("targets")
test_mutated_free_parameter_files_load_or_are_refused_cleanly = _fuzz_test("free")
test_mutated_preset_files_load_or_are_refused_cleanly = _fuzz_test("preset")
test_mutated_programme_files_load_or_are_refused_cleanly = _fuzz_test("programme")
test_mutated_parameter_files_load_or_are_refused_cleanly = _fuzz_test("parameters")


# ------------------------------------------------------- bugs the fuzz found (kept as examples)
def _exp(extra: str = "", arm: str = "", name: str = "r") -> str:
    return f'name = {toml_string(name)}\nmonths = 12\n{extra}[arms.baseline]\n[arms.a]\n{arm}'


def _sweep(vary: str, extra: str = "") -> str:
    return f'name = "r"\nmonths = 12\ndesign = "random"\nsamples = 2\n{extra}[vary.caseload_per_consultant]\n{vary}'


REGRESSIONS = {  # file kind, content, a text the message must hold
    "not UTF-8 (was UnicodeDecodeError)": ("experiment", _exp().encode() + b"# \xff\n", "not UTF-8"),
    "not UTF-8, sweep": ("sweep", b"\xfe\xff" + _sweep("range = [50, 60]\n").encode(), "not UTF-8"),
    "not UTF-8, targets": ("targets", b'description = "\xc3"\n', "not UTF-8"),
    "not UTF-8, free": ("free", b"\x80", "not UTF-8"),
    "a line break in a key (was a second line)": ("experiment", _exp('"a\\rb" = 1\n'), "a\\rb"),
    "a measure twice in an arm (did not name the arm)": (
        "experiment", _exp(arm='measures = [{ name = "sanctions" }, { name = "sanctions" }]\n'), "arms.a.measures"),
    "a measure twice in a sweep": ("sweep", _sweep("range = [50, 60]\n", 'measures = [{ name = "sanctions" }, '
                                   '{ name = "sanctions" }]\n'), "measures"),
    "true for a number (was taken as 1.0)": (
        "experiment", _exp(arm='measures = [{ name = "sanctions", parameters = { detection_share = true } }]\n'),
        "detection_share"),
    "true for a model parameter": ("experiment", _exp("parameters = { hire_probability_per_application = true }\n"),
                                   "hire_probability_per_application"),
    "an infinite integer range (was OverflowError)": ("sweep", _sweep("range = [50, inf]\ninteger = true\n"),
                                                      "range"),
    "a name that leaves results/ (was accepted)": ("experiment", _exp(name="../../elsewhere"), "name"),
    "a name with a NUL (was a ValueError at run time)": ("sweep", _sweep("range = [50, 60]\n").replace(
        'name = "r"', 'name = "r\\u0000"'), "name"),
    "an empty name (was results/ itself)": ("experiment", _exp(name=""), "name"),
}


@pytest.mark.parametrize("case", list(REGRESSIONS))
def test_regressions_found_by_the_fuzz(case, workdir):
    kind, content, expected = REGRESSIONS[case]
    path = workdir / f"regression_{kind}.toml"
    path.write_bytes(content) if isinstance(content, bytes) else path.write_text(content, encoding="utf-8")
    with pytest.raises(UserError) as info:
        LOADERS[kind](path)
    message = str(info.value)
    assert str(path) in message and expected in message, message
    assert len(cli_line(info.value).splitlines()) == 1, message


# ------------------------------------------------------------------------------ the flags
KEYS = sorted(PARAMS)
SET_VALUES = st.one_of(
    st.text(max_size=15), st.integers().map(str), st.floats().map(repr), st.floats(0, 1).map(repr),
    st.integers(0, 5000).map(str),
    st.sampled_from(["", "abc", "1e999", "-1e999", "nan", "inf", "-inf", "1_000", "0x10", "١٢", "1.5", "true",
                     "covid", "stable", "COVID", " 12 ", "12abc", "9" * 5000, "=", "1=2"]),
)


@FLAG_FUZZ
@given(text=st.one_of(
    st.text(max_size=40),
    st.builds(lambda k, v: f"{k}={v}", st.sampled_from(KEYS) | UNICODE_NAMES, SET_VALUES),
))
def test_set_flag_is_typed_or_refused(text):
    """``--set KEY=VALUE`` as ``labour-abm run`` reads it: parse, then validate on the preset."""
    TRIED["--set"]["inputs"] += 1
    try:
        key, value = parse_assignment(text)
        resolve_parameters({}, {key: value}, where="--set: ")
    except UserError as exc:
        TRIED["--set"]["refused"] += 1
        assert len(cli_line(exc).splitlines()) == 1, repr(str(exc))
        assert str(exc).startswith("--set"), str(exc)
    else:
        TRIED["--set"]["accepted"] += 1


def _measure_text(name: str, params: list[tuple[str, str]]) -> str:
    return name + (":" + ",".join(f"{k}={v}" for k, v in params) if params else "")


MEASURE_NAMES = st.sampled_from(sorted(REGISTRY)) | UNICODE_NAMES


@FLAG_FUZZ
@given(text=st.one_of(
    st.text(max_size=40),
    st.builds(_measure_text, MEASURE_NAMES,
              st.lists(st.tuples(st.sampled_from(sorted(MEASURE_PARAMS)) | UNICODE_NAMES, SET_VALUES), max_size=3)),
))
def test_measure_flag_builds_or_is_refused(text):
    """``--measure NAME[:KEY=VALUE,...]`` as ``labour-abm run`` reads it."""
    TRIED["--measure"]["inputs"] += 1
    try:
        parse_measure(text)
    except UserError as exc:
        TRIED["--measure"]["refused"] += 1
        assert len(cli_line(exc).splitlines()) == 1, repr(str(exc))
        assert str(exc).startswith("--measure"), str(exc)
    else:
        TRIED["--measure"]["accepted"] += 1


# ------------------------------------------------------------------------ end to end, a few
def cli(*args):
    return subprocess.run([sys.executable, "-m", "labour_abm.ui.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def listing(directory: Path) -> list[tuple[str, int, int]]:
    return sorted((str(p.relative_to(directory)), p.stat().st_size, p.stat().st_mtime_ns)
                  for p in directory.rglob("*"))


def _unknown_key(kind: str) -> str:
    return ORIGINAL[kind][FILES[kind][0]] + "\n[\"ünknöwn_ключ\"]\nx = 1\n" if kind in ("experiment", "sweep") else \
        '"ünknöwn_ключ" = 1\n' + ORIGINAL[kind][FILES[kind][0]]


def _wrong_type(kind: str) -> str:
    data = copy_tree(PARSED[kind][FILES[kind][0]])
    if kind in ("experiment", "sweep"):
        data["months"] = "twelve"
    elif kind == "targets":
        data["target"][0]["tolerance"] = True
    elif kind == "free":
        next(iter(data["free"].values()))["range"] = "0.1 to 0.2"
    elif kind == "preset":
        data["preset"]["sources"] = "seed 003"
    elif kind == "parameters":
        data["parameters"]["initial_stock"] = [2000]
    else:
        data["programme"]["target_months"] = "36"
    return dumps(data)


WRONG_TYPE_KEY = {"experiment": "months", "sweep": "months", "targets": "tolerance", "free": "range",
                  "preset": "sources", "programme": "target_months", "parameters": "initial_stock"}


def bad_file(kind: str, case: str) -> tuple[str | bytes, str]:
    """A shipped file of ``kind`` with one mistake, and the key (or word) the message must name."""
    original = ORIGINAL[kind][FILES[kind][0]]
    return {
        "unknown key": lambda: (_unknown_key(kind), "ünknöwn_ключ"),
        "wrong type": lambda: (_wrong_type(kind), WRONG_TYPE_KEY[kind]),
        "broken TOML": lambda: (original + "\n[[\n", "TOML"),
        "not UTF-8": lambda: (original.encode() + b"\n# \xff\xfe\n", "UTF-8"),
    }[case]()


def write(path: Path, content: str | bytes) -> None:
    path.write_bytes(content) if isinstance(content, bytes) else path.write_text(content, encoding="utf-8")


E2E = {  # kind -> command to run a file of that kind, and the key each case must name
    "experiment": lambda f, out: ("experiment", f, "--out", out, "--workers", 1),
    "sweep": lambda f, out: ("sweep", f, "--out", out, "--workers", 1),
    "targets": lambda f, out: ("validate", "--targets", f, "--out", out, "--replications", 1, "--months", 24),
    "free": lambda f, out: ("calibrate", "--free", f, "--out", out, "--trials", 1, "--months", 24),
    "parameters": lambda f, out: ("validate", "--parameters", f, "--out", out, "--replications", 1, "--months", 24),
}
MISTAKES = ("unknown key", "wrong type", "broken TOML", "not UTF-8")
E2E_CASES = [(kind, case) for kind in E2E for case in MISTAKES]
# through a real process (the rest through cli.main in this process, which is what the command runs)
SUBPROCESS = {("experiment", "unknown key"), ("sweep", "broken TOML"), ("targets", "not UTF-8"),
              ("free", "wrong type")}


def _run_cli(args: tuple, in_process: bool, capsys) -> tuple[int, str, str]:
    if not in_process:
        proc = cli(*args)
        return proc.returncode, proc.stdout, proc.stderr
    code = labour_cli.main([str(a) for a in args])  # an exception here would be a traceback
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.slow
@pytest.mark.parametrize("kind, case", E2E_CASES)
def test_the_command_refuses_a_bad_file_in_one_line_and_writes_nothing(kind, case, tmp_path, capsys):
    path = tmp_path / f"bad {kind} é.toml"
    content, key = bad_file(kind, case)
    write(path, content)
    _refused_without_writing(lambda out: _run_cli(E2E[kind](path, out), (kind, case) not in SUBPROCESS
                                                  or out.name == "old_out", capsys), path, key, tmp_path)


def _refused_without_writing(command, path: Path, key: str, tmp_path: Path) -> None:
    """``command(out)`` exits 2 with one error line naming ``path`` and ``key``; a new ``--out`` is not
    created and an existing one is left as it was."""
    new_out, old_out = tmp_path / "new_out", tmp_path / "old_out"
    (old_out / "runs").mkdir(parents=True)
    (old_out / "manifest.json").write_text("{}")
    (old_out / "runs" / "keep.txt").write_text("earlier results")
    before = listing(old_out)
    for out in (new_out, old_out):
        code, stdout, stderr = command(out)
        assert code == 2, stdout + stderr
        lines = stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("labour-abm: error:"), stderr
        assert str(path) in lines[0] and key in lines[0], lines[0]
        assert "Traceback" not in stderr and stdout == ""
    assert not new_out.exists(), "--out was created for a refused file"
    assert listing(old_out) == before, "an existing --out was modified"


@pytest.mark.parametrize("kind, case", [(kind, case) for kind in ("preset", "programme") for case in MISTAKES])
def test_a_bad_preset_or_programme_file_is_refused_by_the_command(kind, case, tmp_path, monkeypatch, capsys):
    """Presets and programmes are chosen by name from the package's data folder: a city added there
    with a mistake is refused by ``labour-abm run --preset/--programme NAME`` like any file."""
    module = {"preset": presets, "programme": programmes}[kind]
    folder = tmp_path / kind
    folder.mkdir()
    for shipped in FILES[kind]:
        (folder / shipped.name).write_bytes(shipped.read_bytes())
    path = folder / "bad_city.toml"
    content, key = bad_file(kind, case)
    write(path, content)
    monkeypatch.setattr(module, "_folder", lambda: folder)
    module._load.cache_clear()
    try:
        _refused_without_writing(lambda out: _run_cli(("run", f"--{kind}", "bad_city", "--out", out, "--months", 1,
                                                       "--no-plot"), True, capsys), path, key, tmp_path)
    finally:
        module._load.cache_clear()


@pytest.mark.parametrize("flag", [("--set", "months=abc"), ("--set", "nope=1"), ("--measure", "sanctions:x=1"),
                                  ("--measure", "nope"), ("--set", "months=true"), ("--preset", "atlantis"),
                                  ("--set", "initial_stock=1e999"), ("--measure", "sanctions:detection_share=2"),
                                  ("--measure", "sanctions:")])
@pytest.mark.slow
def test_run_refuses_a_bad_flag_and_writes_nothing(flag, tmp_path, capsys):
    out = tmp_path / "X"
    args = ("run", *flag, "--out", out, "--months", 1, "--no-plot")
    code, stdout, stderr = _run_cli(args, flag != ("--set", "months=abc"), capsys)
    assert code == 2, stdout + stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("labour-abm: error:"), stderr
    assert "Traceback" not in stderr and stdout == ""
    assert not out.exists()


@pytest.mark.parametrize("command", ["experiment", "sweep"])
@pytest.mark.parametrize("mistake", ["file is a directory", "--out is a file", "--out has a broken manifest"])
def test_a_directory_for_a_file_or_a_bad_out_is_refused_in_one_line(command, mistake, tmp_path, capsys):
    shipped = FILES[command][0]
    file, out = tmp_path / "spec.toml", tmp_path / "out"
    file.write_text(ORIGINAL[command][shipped], encoding="utf-8")
    if mistake == "file is a directory":
        file = tmp_path / "a_directory.toml"
        file.mkdir()
    elif mistake == "--out is a file":
        out.write_text("a file")
    else:
        out.mkdir()
        (out / "manifest.json").write_text("{ half a manifest")
    before = listing(tmp_path)
    code, stdout, stderr = _run_cli((command, file, "--out", out, "--workers", 1), True, capsys)
    assert code == 2 and stdout == "", stdout + stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("labour-abm: error:"), stderr
    assert str(file if mistake == "file is a directory" else out) in lines[0], lines[0]
    assert {"file is a directory": "is a directory", "--out is a file": "not a directory",
            "--out has a broken manifest": "manifest.json"}[mistake] in lines[0], lines[0]
    assert listing(tmp_path) == before, "something was written"


def test_loaders_never_execute_or_unpickle():
    """User files are read as TOML text, never executed or unpickled."""
    for module in (experiment, sweep, validation, calibration, presets, programmes, errors, files, store):
        source = Path(module.__file__).read_text(encoding="utf-8")
        for word in ("pickle", "eval(", "exec(", "runpy", "import_module", "yaml.load"):
            assert word not in source, f"{module.__name__} uses {word}"


# ------------------------------------------------------------------------------ the figures
@pytest.fixture(scope="module", autouse=True)
def figures():
    """Print the inputs tried per file type and flag (shown with ``pytest -s``)."""
    t0 = time.perf_counter()
    yield
    if not TRIED:
        return
    lines = [f"\nbad-input fuzz ({'long' if LONG else 'default'} mode, {time.perf_counter() - t0:.0f} s):",
             f"  {'input':<12}{'tried':>8}{'refused':>9}{'accepted':>10}{'loading s':>11}"]
    for kind, c in TRIED.items():
        lines.append(f"  {kind:<12}{c['inputs']:>8}{c['refused']:>9}{c['accepted']:>10}{SECONDS.get(kind, 0):>11.1f}")
    total = sum(c["inputs"] for c in TRIED.values())
    lines.append(f"  {'all':<12}{total:>8}")
    print("\n".join(lines))
