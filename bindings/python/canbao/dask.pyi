# Type stubs of canbao.dask (bindings/python/canbao/dask.py): Dask scale-out.
import os
from typing import Any, Dict, Optional, Sequence, Tuple, Union

import dask.dataframe as dd
from dask.delayed import Delayed

from . import DateLike, Policy

ShippedPolicy = Tuple[str, str]

def ship(policy: Policy) -> Delayed: ...
def worker_policy(shipped: ShippedPolicy) -> Policy: ...
def read_roster(paths: Union[str, os.PathLike[str], Sequence[Union[str, os.PathLike[str]]]], policy: Policy,
                as_of: Optional[DateLike] = ..., **read_roster_kwargs: Any) -> dd.DataFrame: ...
def recommend(ddf: dd.DataFrame, policy: Policy, as_of: DateLike, *, names: bool = ...,
              keep: Any = ...) -> dd.DataFrame: ...
def compare(ddf: dd.DataFrame, base: Policy, reform: Optional[Policy] = ..., *, patch: Any = ...,
            as_of: DateLike) -> Dict[str, Any]: ...
def unit_counts(ddf: dd.DataFrame, policy: Policy, as_of: DateLike) -> Dict[str, Any]: ...
