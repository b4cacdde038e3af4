"""Jupyter displays (``_repr_html_``) of Policy and of evaluation results.

Small static HTML: no scripts, no styles beyond pandas' table, every text
escaped (html.escape). Results show their main table, at most 20 rows.
"""

from __future__ import annotations

import html
import json
from typing import Any, Dict, List

__all__ = ["policy_html", "result_html"]

# The table a result of each kind shows (the others: .to_frame()).
_MAIN_TABLE = {"report": "work_fund", "projections": "milestones", "costs": "payers",
               "unit_counts": "units", "compare": "payouts"}


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def policy_html(policy: Any) -> str:
    """The campaign's title, period (first phase to last), units count, phases table and fingerprint."""
    doc: Dict[str, Any] = json.loads(policy.to_json(-1))
    campaign = doc.get("campaign") or {}
    phases: List[Dict[str, Any]] = campaign.get("phases") or []
    # Phases are in campaign order; a template's days ("{year}-10-15") do not sort as text.
    first, last = (phases[0], phases[-1]) if phases else ({}, {})
    period = f"{first.get('start') or first.get('end') or ''} – {last.get('end') or last.get('start') or ''}"
    rows = "".join(f"<tr><td>{_e(p.get('id'))}</td><td>{_e(p.get('name'))}</td><td>{_e(p.get('start'))}</td>"
                   f"<td>{_e(p.get('end'))}</td></tr>" for p in phases)
    origin = ""
    if policy.provenance:
        origin = f"<br>reform of <code>{_e(policy.provenance['base_fingerprint'][:12])}</code>"
    return (f"<div class=\"canbao-policy\"><b>{_e(campaign.get('title') or campaign.get('id'))}</b>"
            f" <small>({_e(campaign.get('id'))})</small><br>period {_e(period)}; "
            f"{len(doc.get('units') or [])} units<br>"
            f"<table><thead><tr><th>phase</th><th>name</th><th>start</th><th>end</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
            f"fingerprint <code>{_e(policy.fingerprint)}</code>{origin}</div>")


def result_html(result: Any) -> str:
    """A result's kind, as-of day and fingerprint over its main table."""
    frames = result.to_frame()
    name = _MAIN_TABLE.get(result.kind, "")
    frame = frames[name] if isinstance(frames, dict) else frames
    as_of = result.get("as_of") if isinstance(result, dict) else None
    head = f"<b>canbao {_e(result.kind)}</b>"
    if as_of:
        head += f" as of {_e(as_of)}"
    if name:
        head += f" — {_e(name)} (all tables: <code>.to_frame()</code>)"
    return (f"<div class=\"canbao-result\">{head}<br>"
            f"{frame.to_html(max_rows=20, escape=True, notebook=False)}"
            f"<small>policy <code>{_e(result.fingerprint[:12])}</code></small></div>")
