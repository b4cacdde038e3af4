"""canbao (参保): rules for pension enrollment-expansion campaigns.

Load a policy (a JSON work plan) once, then evaluate:

>>> import canbao
>>> policy = canbao.Policy.from_file("examples/policies/000-xx-town-2021.json")
>>> [p["name"] for p in policy.phases_on("2021-07-01")]
['集中攻坚']

Money is in integer fen, dates are ISO ``YYYY-MM-DD`` strings (``datetime.date``
is accepted too), ID numbers are only ever shown masked. Errors raise
:class:`PolicyError` / :class:`InputError` (both ``ValueError``) whose ``.path``
names the place. A :class:`Policy` is immutable and may be shared by threads.
"""

from ._core import ABI_VERSION, __version__
from ._errors import (
    ArgumentError,
    Error,
    InputError,
    InternalError,
    OverflowError,
    PolicyError,
)
from ._api import (
    ACTIONS,
    EMPLOYMENTS,
    FLAGS,
    INSURANCE_STATUSES,
    SCHEMES,
    Policy,
    check_policy,
    parse_id,
    retirement,
)
from .reform import compare  # base vs reform tables (docs/reforms.md)
from ._readers import read_progress, read_roster  # typed frames by the C++ readers

__all__ = [
    "__version__",
    "ABI_VERSION",
    "Policy",
    "compare",
    "read_roster",
    "read_progress",
    "retirement",
    "parse_id",
    "check_policy",
    "Error",
    "PolicyError",
    "InputError",
    "ArgumentError",
    "InternalError",
    "SCHEMES",
    "ACTIONS",
    "INSURANCE_STATUSES",
    "EMPLOYMENTS",
    "FLAGS",
]
