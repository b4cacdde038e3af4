"""canbao's exceptions. Every one carries where the problem is."""

import builtins
import re
from typing import Optional

# An ID number: 15 digits, or 17 digits and a digit or X, not part of a longer
# digit run; shown as first 6 + '*' + last 4, like canbao::detail::mask_id_numbers
# (which already masks every message from the C++ core; this covers messages
# built in Python).
_ID_NUMBER = re.compile(r"(?<![0-9])(?:[0-9]{17}[Xx]|[0-9]{18}(?![0-9])|[0-9]{15}(?![0-9]))")


def mask_id_numbers(text: str) -> str:
    """``text`` with every ID-number-like digit run masked (``110105********002X``)."""
    return _ID_NUMBER.sub(lambda m: m.group()[:6] + "*" * (len(m.group()) - 10) + m.group()[-4:], text)

__all__ = ["Error", "PolicyError", "InputError", "ArgumentError", "OverflowError", "InternalError"]


class Error(ValueError):
    """Base of canbao's errors.

    Attributes:
        path: where the problem is: a JSON path in a policy
            (``"campaign.phases[3].end"``), ``"file.csv:12:3"`` in a CSV, a
            request field (``"request.person.birth_date"``) or an argument
            name. May be empty.
        message: what is wrong, without the place.
        line, column: the 1-based line and column (field) of a CSV, or None.
        row: the 0-based row of batch columns (``columns.sex[row]``), or None.
    """

    def __init__(self, text: str, path: str = "", message: str = "", *, line: Optional[int] = None,
                 column: Optional[int] = None, row: Optional[int] = None) -> None:
        text = mask_id_numbers(str(text))
        super().__init__(text)
        self.path = mask_id_numbers(str(path))
        self.message = mask_id_numbers(str(message)) if message else text
        self.line = line
        self.column = column
        self.row = row


class PolicyError(Error):
    """A policy document is malformed or inconsistent; ``path`` is its JSON path."""


class InputError(Error):
    """Progress, a person, a roster or a request is malformed; ``path`` names the field or line:column."""


class ArgumentError(Error):
    """An argument is unusable (wrong kind of value, a policy lacking a section); ``path`` names it."""


class OverflowError(Error, builtins.OverflowError):  # noqa: A001 - canbao.OverflowError
    """Exact integer arithmetic (money in fen, counts) would overflow int64."""


class InternalError(Error):
    """A bug in canbao: please report it with the input that caused it."""
