"""Errors that are the user's to fix: the CLI prints them on one line and exits with code 2."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import ValidationError

# line breaks a user's key or value may carry into a message (str.splitlines breaks on all of them)
_ESCAPED = {c: repr(c)[1:-1] for c in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"}
_ONE_LINE = str.maketrans(_ESCAPED)


class UserError(Exception):
    """Bad input: an unknown key, a value out of range, a missing file. Never a bug.

    The message is kept on one line: a line break in it (e.g. in a key a user wrote) is escaped."""

    def __init__(self, message: str = "", *args):
        super().__init__(str(message).translate(_ONE_LINE), *args)


def validated(model, data: dict, where: str, hint: Callable[[str], str] = lambda key: ""):
    """``model(**data)``, or a UserError naming the first problem's key: '<where><key>: <message>
    (got <value>).<hint(key)>', or '<where><message>.' for a rule on the whole file (whose message
    names its keys)."""
    from pydantic import ValidationError  # here, not at the top: `labour-abm --help` needs no pydantic

    try:
        return model(**data)
    except ValidationError as exc:
        key, msg, got = first_problem(exc)
        if not key:
            raise UserError(f"{where}{msg}.") from None
        raise UserError(f"{where}{key}: {msg} (got {got}).{hint(key)}") from None


def first_problem(exc: ValidationError) -> tuple[str, str, str]:
    """Key path, message and (shortened) input of the first problem a pydantic ValidationError reports."""
    err = exc.errors()[0]
    loc = err["loc"]
    if loc and loc[-1] == "[key]":  # a key's own check: its message names the key, so the path stops above it
        loc = loc[:-2]
    key = ".".join(shorter(str(x)) for x in loc)
    return key, err["msg"].removeprefix("Value error, "), short(err.get("input"))


def shorter(text: str, at_most: int = 80) -> str:
    """A user's text (a key, a path) cut to ``at_most`` characters for a message."""
    return text if len(text) <= at_most else text[: at_most - 3] + "..."


def short(value) -> str:
    """``repr`` of a user's value, cut to one readable length (an error line must not repeat a whole table)."""
    text = repr(value.item() if hasattr(value, "item") and not isinstance(value, (dict, list)) else value)
    return text if len(text) < 60 else text[:57] + "..."
