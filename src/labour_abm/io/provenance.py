"""What produced a result: package and library versions and the git commit of the source tree,
recorded in every manifest and compared by ``labour-abm reproduce``."""

from __future__ import annotations

import functools
import hashlib
import platform
import subprocess
from pathlib import Path
from typing import Any

from ..version import __version__

PACKAGE = Path(__file__).resolve().parents[1]
# the code and data that decide what a run writes (its tables, outcomes and files); a change
# in any of them means a run made before is not the run the same command would make now
RESULT_CODE = ("core", "measures", "data", "io", "analysis/outcomes.py", "experiments/run.py",
               "experiments/runner.py", "version.py")


@functools.cache
def git_state() -> dict[str, Any]:
    """Commit and dirty flag of the source tree, when it is a git checkout (once per process:
    a sweep's thousands of runs would otherwise call git thousands of times)."""
    here = Path(__file__).resolve().parent
    try:
        commit = subprocess.run(["git", "-C", str(here), "rev-parse", "HEAD"], capture_output=True,
                                text=True, timeout=5, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(here), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=5, check=True).stdout.strip() != ""
        return {"git_commit": commit, "git_dirty": dirty}
    except (OSError, subprocess.SubprocessError):
        return {"git_commit": None, "git_dirty": None}


@functools.cache
def code_fingerprint() -> str:
    """A hash of the source and data files that decide a run's results (:data:`RESULT_CODE`),
    once per process: a run records it, and a resumed study runs again what was made with other
    code. Any edit of those files counts, a comment included."""
    digest = hashlib.sha256(__version__.encode())
    for part in RESULT_CODE:
        path = PACKAGE / part
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for f in files:
            if f.is_file() and f.suffix in (".py", ".toml") and "__pycache__" not in f.parts:
                digest.update(str(f.relative_to(PACKAGE)).encode() + b"\0" + f.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def versions() -> dict[str, Any]:
    """The package version, the git state and the versions of Python and the libraries that
    decide the numbers (numpy, pandas, mesa)."""
    import mesa
    import numpy as np
    import pandas as pd

    return {"version": __version__, **git_state(), "python": platform.python_version(), "numpy": np.__version__,
            "pandas": pd.__version__, "mesa": mesa.__version__}
