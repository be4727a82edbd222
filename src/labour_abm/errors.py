"""Errors that are the user's to fix: the CLI prints them on one line and exits with code 2."""

import tomllib
from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

# line breaks a user's key or value may carry into a message (str.splitlines breaks on all of them)
_ESCAPED = {c: repr(c)[1:-1] for c in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"}
_ONE_LINE = str.maketrans(_ESCAPED)


class UserError(Exception):
    """Bad input: an unknown key, a value out of range, a missing file. Never a bug.

    The message is kept on one line: a line break in it (e.g. in a key a user wrote) is escaped."""

    def __init__(self, message: str = "", *args):
        super().__init__(str(message).translate(_ONE_LINE), *args)


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


def validated(model, data: dict, where: str, hint: Callable[[str], str] = lambda key: ""):
    """``model(**data)``, or a UserError naming the first problem's key: '<where><key>: <message>
    (got <value>).<hint(key)>' (key 'file' for a rule on the whole file)."""
    try:
        return model(**data)
    except ValidationError as exc:
        key, msg, got = first_problem(exc)
        raise UserError(f"{where}{key or 'file'}: {msg} (got {got}).{hint(key)}") from None


def read_manifest(directory, wrote_it: str) -> dict:
    """The ``manifest.json`` of a results directory, or a UserError saying what is wrong with it
    (``wrote_it``: the commands that write such a directory)."""
    import json

    path = Path(directory) / "manifest.json"
    if not path.is_file():
        raise UserError(f"{directory}: no manifest.json here; give a directory that {wrote_it} wrote.")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise UserError(f"{path}: unreadable ({err.strerror or err}).") from None
    except ValueError as err:  # broken JSON or not UTF-8
        raise UserError(f"{path}: not valid JSON ({err}).") from None
    if not isinstance(manifest, dict):
        raise UserError(f"{path}: not a JSON object.")
    return manifest


def first_problem(exc) -> tuple[str, str, str]:
    """Key path, message and (shortened) input of the first problem a pydantic ValidationError reports."""
    err = exc.errors()[0]
    return ".".join(str(x) for x in err["loc"]), err["msg"].removeprefix("Value error, "), short(err.get("input"))


def short(value) -> str:
    """``repr`` of a user's value, cut to one readable length (an error line must not repeat a whole table)."""
    text = repr(value.item() if hasattr(value, "item") and not isinstance(value, (dict, list)) else value)
    return text if len(text) < 60 else text[:57] + "..."
