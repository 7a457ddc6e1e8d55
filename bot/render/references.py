"""Reading the DSLP cross-references and the TLDR out of any issue body.

Linked issues point at their Ask with `***Ask Reference:*** #N` and Model
issues at their Experiment with `***Based on Experiment:*** #N`; outcomes
are summarised in a `***TLDR:***` line. People write these by hand too, so
the patterns accept the usual variations (bold or not, spaces, case).
"""

from __future__ import annotations

import re

from bot.render.markdown import HeadingLine, heading_of

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


RESULTS_HEADING = "## Results"
BRANCH_LINE = "***Branch:*** `{branch}`"
BRANCH_PLACEHOLDER = "<!-- dslp-bot:branch -->"
"""Where a new issue's branch goes: its number, and so its branch, exists only after filing."""
_BRANCH = re.compile(r"^[ \t>*_-]*branch[ \t*_]*:[ \t*_]*`([^`\n]+)`[ \t]*\r?$", re.I | re.M)


def branch_of(body: str) -> str:
    match = _BRANCH.search(body or "")
    return match.group(1) if match else ""


def with_branch(body: str, branch: str) -> str:
    """Write the branch line once: replace an earlier one or the placeholder, else add it on top.

    Idempotent, so filing that is retried after a crash edits nothing twice.
    """
    line = BRANCH_LINE.format(branch=branch)
    match = _BRANCH.search(body)
    if match is not None:
        return _replace_line(body, match.start(), match.end(), line)
    at = body.find(BRANCH_PLACEHOLDER)
    if at != -1:
        return body[:at] + line + body[at + len(BRANCH_PLACEHOLDER) :]
    return f"{line}\n\n{body}"


def with_tldr(body: str, text: str) -> str:
    """Put `text` on the last TLDR line (an outcome replaces the earlier one), or add a line.

    A missing line goes at the end of the Results section (a Results section is
    added at the end when there is none): the DSLP ends the Results with the TLDR.
    """
    line = TLDR_LINE.format(text=text).rstrip()
    found = list(_TLDR.finditer(body))
    if found:
        return _replace_line(body, found[-1].start(), found[-1].end(), line)
    newline = "\r\n" if "\r\n" in body else "\n"
    lines = body.rstrip().split("\n") if body.strip() else []
    end = _results_end(lines)
    if end is None:
        lines += ["", RESULTS_HEADING] if lines else [RESULTS_HEADING]
        end = len(lines)
    eol = newline.removesuffix("\n")
    while end > 0 and not lines[end - 1].strip():
        end -= 1
    added = ["", line] + ([""] if end < len(lines) and lines[end].strip() else [])
    return "\n".join([*lines[:end], *(part + eol for part in added), *lines[end:]]) + newline


def _results_end(lines: list[str]) -> int | None:
    """Index just after the Results section (the next heading as high ends it), or None."""
    start = next((i for i, text in enumerate(lines) if _is_results(heading_of(text))), None)
    if start is None:
        return None
    level = heading_of(lines[start]).level  # type: ignore[union-attr]
    for i in range(start + 1, len(lines)):
        found = heading_of(lines[i])
        if found is not None and found.level <= level:
            return i
    return len(lines)


def _is_results(found: HeadingLine | None) -> bool:
    return found is not None and found.key == "results"


def _replace_line(body: str, start: int, end: int, line: str) -> str:
    """Replace body[start:end] (one line) and keep a CRLF ending if it had one."""
    ending = "\r" if body[start:end].endswith("\r") else ""
    return body[:start] + line + ending + body[end:]
