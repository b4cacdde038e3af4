"""canbao's exceptions. Every one carries where the problem is."""

import builtins

__all__ = ["Error", "PolicyError", "InputError", "ArgumentError", "OverflowError", "InternalError"]


class Error(ValueError):
    """Base of canbao's errors.

    Attributes:
        path: where the problem is: a JSON path in a policy
            (``"campaign.phases[3].end"``), ``"file.csv:12:3"`` in a CSV, a
            request field (``"request.person.birth_date"``) or an argument
            name. May be empty.
        message: what is wrong, without the place.
    """

    def __init__(self, text: str, path: str = "", message: str = "") -> None:
        super().__init__(text)
        self.path = path
        self.message = message or text


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
