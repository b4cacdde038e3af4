"""How a Policy travels between processes: pickled as its canonical JSON and
fingerprint, checked on arrival, loaded once per process.

A Dask or multiprocessing task unpickles the same policy again and again; the
small cache keyed by fingerprint makes every load after the first a lookup
(the cached text is compared whole, so a changed text is never taken for the
cached policy).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from typing import Any, Optional, Tuple

from ._errors import PolicyError

__all__ = ["restore_policy", "CACHE_SIZE"]

#: How many policies one process keeps loaded for unpickling (least recently used go).
CACHE_SIZE = 16

_cache: "OrderedDict[Tuple[str, Optional[Tuple[str, str, str]]], Tuple[str, Any]]" = OrderedDict()
_lock = threading.Lock()
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


def _provenance_key(provenance: Any) -> Optional[Tuple[str, str, str]]:
    if provenance is None:
        return None
    try:
        base, kind, patch = provenance["base_fingerprint"], provenance["patch_kind"], provenance["patch"]
    except (TypeError, KeyError):
        raise PolicyError("pickled policy: provenance: expected base_fingerprint, patch_kind and patch",
                          "provenance", "expected base_fingerprint, patch_kind and patch") from None
    if not (isinstance(base, str) and _HEX64.match(base) and kind in ("merge_patch", "json_patch")
            and isinstance(patch, str)):
        raise PolicyError("pickled policy: provenance: expected a 64-hex base fingerprint, "
                          "merge_patch or json_patch, and the patch text", "provenance", "malformed")
    return (base, kind, patch)


def restore_policy(text: str, fingerprint: str, provenance: Any = None) -> Any:
    """The Policy a pickle holds: ``text`` (canonical JSON) loaded and checked to
    have ``fingerprint`` (PolicyError otherwise), with its reform provenance."""
    from ._api import Policy

    key = (fingerprint, _provenance_key(provenance))
    with _lock:
        hit = _cache.get(key)
        if hit is not None and hit[0] == text:
            _cache.move_to_end(key)
            return hit[1]
    policy = Policy.from_json(text, "pickled policy")
    if policy.fingerprint != fingerprint:
        raise PolicyError(f"pickled policy: fingerprint mismatch: the text has {policy.fingerprint}, "
                          f"the pickle says {fingerprint}", "fingerprint", "fingerprint mismatch")
    if key[1] is not None:
        policy = Policy(policy._handle.with_provenance(*key[1]))
    with _lock:
        _cache[key] = (text, policy)
        _cache.move_to_end(key)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return policy


def cache_info() -> Tuple[int, int]:
    """(policies cached, capacity): for tests and the curious."""
    with _lock:
        return len(_cache), CACHE_SIZE
