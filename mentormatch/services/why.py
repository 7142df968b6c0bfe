"""Why this match, and why nobody for this mentee, in the reader's language (issue 18).

The matching core gives a pair's reasons as parts (matching/explain.pair_parts) and an unmatched
mentee's as (code, count) pairs; the site stores those and renders them here, at display time,
with the current locale's catalog (in an email: the recipient's, see core/outbox.render). A row
stored before parts were kept shows the parts read back from its English sentence when they read
back exactly, else the sentence as stored.
"""
from __future__ import annotations

from flask_babel import format_decimal, get_translations

from ..matching import explain


def words() -> explain.Words:
    """The current locale's gettext, ngettext and numbers, for the core's render functions."""
    t = get_translations()
    return explain.Words(t.gettext, t.ngettext, format_decimal)


def parts_json(parts) -> list:
    """Parts as stored in a JSON column: [[code, {values}], ...]."""
    return [[code, dict(values)] for code, values in parts]


def _field(row, name: str):
    return row.get(name) if isinstance(row, dict) else getattr(row, name, None)


def pair_text(row) -> str:
    """A pair's "why this match" (a RunPair, a Pairing or a dict with sentence and sentence_parts)."""
    sentence = _field(row, "sentence") or ""
    parts = _field(row, "sentence_parts")
    if parts is None:
        parts = explain.read_pair_sentence(sentence)
    if not parts:
        return sentence
    try:
        return explain.render_pair(parts, words())
    except (KeyError, TypeError, ValueError, IndexError):  # parts of a later version: its English stands
        return sentence


def unmatched_text(row) -> str:
    """Why a mentee has no mentor (a RunUnmatched): rendered from its reason codes when its stored
    sentence is what they say in English (rows the coordinator's edits wrote keep their own words)."""
    sentence = _field(row, "sentence") or ""
    reasons = _field(row, "reasons")
    try:
        if reasons is not None and explain.render_unmatched(reasons) == sentence:
            return explain.render_unmatched(reasons, words())
    except (TypeError, ValueError):
        pass
    return sentence
