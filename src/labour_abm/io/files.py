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


MAX_INPUT_BYTES = 1_000_000  # a user's file: experiment, sweep, preset, ... (the shipped ones are a few kB)


def read_user_text(path) -> str:
    """The text of a file a user wrote (UTF-8, a byte-order mark allowed, at most MAX_INPUT_BYTES);
    a file that is too large or cannot be read or decoded is a UserError."""
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise UserError(f"{path}: cannot be read ({exc.strerror or exc}).") from None
    if len(data) > MAX_INPUT_BYTES:
        raise UserError(f"{path}: larger than {MAX_INPUT_BYTES:,} bytes; is it the right file?")
    try:
        return data.decode("utf-8-sig")  # a byte-order mark (some Windows editors write one) is not TOML
    except UnicodeDecodeError as exc:
        raise UserError(f"{path}: not UTF-8 text (byte {exc.start}: {exc.reason}); save it as UTF-8.") from None


def read_toml(source, kind: str) -> tuple[dict, str, str]:
    """A user's TOML file (a path) or the same content as a dict: ``(data, text, where)``, where
    ``where`` prefixes messages ("FILE: "). A missing, unreadable or broken file is a UserError."""
    if isinstance(source, dict):
        return dict(source), repr(source), f"{kind}: "
    path = Path(source)
    where = f"{path}: "
    if path.is_dir():
        raise UserError(f"{path}: is a directory, not a {kind} file.")
    if not path.exists():
        raise UserError(f"{path}: no such {kind} file.")
    if not path.is_file():
        raise UserError(f"{path}: not a regular file (a pipe or a device?); give the {kind} file itself.")
    text = read_user_text(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{where}not valid TOML ({exc}).") from None
    except RecursionError:
        data = None
    if data is None or _depth(data) > MAX_DEPTH:
        raise UserError(f"{where}tables or lists nested more than {MAX_DEPTH} deep; no {kind} file needs that.")
    return data, text, where


MAX_DEPTH = 20  # the shipped files nest 4 deep (a sweep's vary.<name>.values)


def _depth(value) -> int:
    """How deep tables and lists nest in ``value`` (without recursion: any depth is measured)."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return deepest


def output_directory(out) -> Path:
    """Make the ``--out`` directory (and its parents) and check that files can be written in it;
    one that is a file, cannot be made or is not writable is a UserError (before any work)."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise UserError(f"--out {out}: exists and is not a directory.")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"--out {out}: cannot be made ({exc.strerror or exc}).") from None
    try:
        with tempfile.TemporaryFile(dir=out):
            pass
    except OSError as exc:
        raise UserError(f"--out {out}: cannot write there ({exc.strerror or exc}).") from None
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
