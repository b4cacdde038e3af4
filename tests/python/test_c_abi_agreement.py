"""Python and the C ABI give byte-identical answers to the same requests
(ctypes over the shared library; CANBAO_LIBRARY is set by ctest)."""
import ctypes
import json
import os

import pytest

import canbao
from canbao import _core

LIBRARY = os.environ.get("CANBAO_LIBRARY", "")
pytestmark = pytest.mark.skipif(not LIBRARY, reason="CANBAO_LIBRARY not set (set by ctest)")


@pytest.fixture(scope="module")
def lib():
    lib = ctypes.CDLL(LIBRARY)
    lib.canbao_policy_from_file.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]
    lib.canbao_call_json.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t,
                                     ctypes.POINTER(ctypes.c_void_p)]
    lib.canbao_string_free.argtypes = [ctypes.c_void_p]
    lib.canbao_policy_free.argtypes = [ctypes.c_void_p]
    lib.canbao_last_error.restype = ctypes.c_char_p
    lib.canbao_version.restype = ctypes.c_char_p
    return lib


def c_call(lib, policy, request):
    data = request.encode()
    out = ctypes.c_void_p()
    status = lib.canbao_call_json(policy, data, len(data), ctypes.byref(out))
    assert status == 0, lib.canbao_last_error()
    text = ctypes.string_at(out.value).decode()
    lib.canbao_string_free(out)
    return text


REQUESTS = {
    "000-xx-town-2021.json": [
        {"op": "phases_on", "date": "2021-10-01"},
        {"op": "report", "as_of": "2021-12-31", "progress_csv": "PROGRESS/000-xx-town-2021.csv"},
        {"op": "payouts", "as_of": "2021-10-20", "progress_csv": "PROGRESS/000-xx-town-2021.csv"},
        {"op": "policy"},
    ],
    "004-shiyan-2023.json": [
        {"op": "recommend", "as_of": "2023-06-30",
         "person": {"sex": "female", "birth_date": "1970-03-01", "flags": ["dibao"], "hukou_local": True}},
        {"op": "scores", "as_of": "2023-12-31", "progress_csv": "PROGRESS/004-shiyan-2023.csv"},
        {"op": "costs", "as_of": "2023-06-30", "roster_csv": "ROSTER/004-sample.csv"},
    ],
    "001-chengjiang-2021.json": [
        {"op": "costs", "as_of": "2021-12-31", "progress_csv": "PROGRESS/001-chengjiang-2021.csv"},
    ],
}


def test_version_matches(lib):
    assert lib.canbao_version().decode() == canbao.__version__


@pytest.mark.parametrize("policy_file", sorted(REQUESTS))
def test_same_answers_through_both_bindings(lib, examples, policy_file):
    path = str(examples / "policies" / policy_file)
    handle = ctypes.c_void_p()
    assert lib.canbao_policy_from_file(path.encode(), ctypes.byref(handle)) == 0
    try:
        policy = canbao.Policy.from_file(path)
        for request in REQUESTS[policy_file]:
            if str(request.get("progress_csv", "")).startswith("PROGRESS/"):
                # The host reads the file and sends its text: call_json opens no files.
                csv = examples / "progress" / request["progress_csv"][len("PROGRESS/"):]
                request = dict(request, progress_csv=csv.read_text(encoding="utf-8"))
            if str(request.get("roster_csv", "")).startswith("ROSTER/"):
                csv = examples / "rosters" / request["roster_csv"][len("ROSTER/"):]
                request = dict(request, roster_csv=csv.read_text(encoding="utf-8"))
            text = json.dumps(request)
            from_c = c_call(lib, handle, text)
            assert from_c == _core.call_json(policy._handle, text)
            assert json.loads(from_c) == policy.call(json.loads(text))
    finally:
        lib.canbao_policy_free(handle)
