"""What produced a result: package and library versions and the git commit of the source tree,
recorded in every manifest and compared by ``labour-abm reproduce``."""

from __future__ import annotations

import functools
import platform
import subprocess
from pathlib import Path
from typing import Any

from ..version import __version__


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


def versions() -> dict[str, Any]:
    """The package version, the git state and the versions of Python and the libraries that
    decide the numbers (numpy, pandas, mesa)."""
    import mesa
    import numpy as np
    import pandas as pd

    return {"version": __version__, **git_state(), "python": platform.python_version(), "numpy": np.__version__,
            "pandas": pd.__version__, "mesa": mesa.__version__}
