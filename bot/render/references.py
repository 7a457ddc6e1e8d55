"""Reading the DSLP cross-references and the TLDR out of any issue body.

Linked issues point at their Ask with `***Ask Reference:*** #N` and Model
issues at their Experiment with `***Based on Experiment:*** #N`; outcomes
are summarised in a `***TLDR:***` line. People write these by hand too, so
the patterns accept the usual variations (bold or not, spaces, case).
"""

from __future__ import annotations

import re

_REFERENCE = r"^[ \t>*_-]*{label}[ \t*_]*:[ \t*_]*#(\d{{1,9}})\b"
_ASK = re.compile(_REFERENCE.format(label=r"ask[ \t]+reference"), re.IGNORECASE | re.MULTILINE)
_EXPERIMENT = re.compile(
    _REFERENCE.format(label=r"based[ \t]+on[ \t]+experiment"), re.IGNORECASE | re.MULTILINE
)
_TLDR = re.compile(r"^[ \t>*_-]*tl;?dr[ \t*_]*:[ \t*_]*(.*)$", re.IGNORECASE | re.MULTILINE)

ASK_REFERENCE = "***Ask Reference:*** #{number}"
EXPERIMENT_REFERENCE = "***Based on Experiment:*** #{number}"
TLDR_LINE = "***TLDR:*** {text}"


def _first_number(pattern: re.Pattern[str], body: str) -> int | None:
    match = pattern.search(body or "")
    return int(match.group(1)) if match else None


def ask_reference(body: str) -> int | None:
    return _first_number(_ASK, body)


def experiment_reference(body: str) -> int | None:
    return _first_number(_EXPERIMENT, body)


def tldr_of(body: str) -> str:
    """The last non-empty TLDR line: a later outcome replaces an earlier one."""
    found = [m.group(1).strip() for m in _TLDR.finditer(body or "")]
    return next((text for text in reversed(found) if text), "")
