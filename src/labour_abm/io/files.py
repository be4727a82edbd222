"""Files: a user's TOML file read with one-line errors; the ``--out`` directory; atomic writes.

A file a user wrote that cannot be read, decoded or parsed is a :class:`~labour_abm.errors.UserError`
naming the file. Results are written atomically (a temporary file in the same directory, then
a rename), so a reader never sees half a file and an interruption leaves the old one.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import tomllib
from collections.abc import Callable
from pathlib import Path

from ..errors import UserError

_UMASK = os.umask(0)
os.umask(_UMASK)


def read_user_text(path) -> str:
    """The text of a file a user wrote (UTF-8); a file that cannot be read or decoded is a UserError."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise UserError(f"{path}: not UTF-8 text (byte {exc.start}: {exc.reason}); save it as UTF-8.") from None
    except OSError as exc:
        raise UserError(f"{path}: cannot be read ({exc.strerror or exc}).") from None


def read_toml(source, kind: str) -> tuple[dict, str, str]:
    """A user's TOML file (a path) or the same content as a dict: ``(data, text, where)``, where
    ``where`` prefixes messages ("FILE: "). A missing, unreadable or broken file is a UserError."""
    if isinstance(source, dict):
        return dict(source), repr(source), f"{kind}: "
    path = Path(source)
    where = f"{path}: "
    if path.is_dir():
        raise UserError(f"{path}: is a directory, not a {kind} file.")
    if not path.is_file():
        raise UserError(f"{path}: no such {kind} file.")
    text = read_user_text(path)
    try:
        return tomllib.loads(text), text, where
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{where}not valid TOML ({exc}).") from None


def output_directory(out) -> Path:
    """Make the ``--out`` directory (and its parents); one that is a file or cannot be made is a UserError."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise UserError(f"--out {out}: exists and is not a directory.")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"--out {out}: cannot be made ({exc.strerror or exc}).") from None
    return out


def atomic_write(path: Path, write: Callable[[str], object]) -> None:
    """Write ``path`` atomically: ``write(tmp)`` fills a temporary file beside it, then a rename."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes it private (0600); results are ordinary files
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_json(path: Path, data: dict) -> None:
    """``data`` as indented JSON, atomically (values JSON does not know are written as text)."""
    text = json.dumps(data, indent=2, default=str) + "\n"
    atomic_write(path, lambda tmp: Path(tmp).write_text(text))


def text_hash(text: str) -> str:
    """SHA-256 of a text (a user's file as read, or a spec as JSON): what manifests record."""
    return hashlib.sha256(text.encode()).hexdigest()
