"""Absolute links for emails, built from PUBLIC_URL and never from the request."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import current_app


def link(endpoint: str, **values) -> str:
    """An absolute link for an email, built from PUBLIC_URL and never from the request: a forged
    Host header must not put an attacker's host (and a valid token) into someone's inbox."""
    base = urlsplit(current_app.config["PUBLIC_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)


_SLOT = "__mentormatch_slot__"
_URL_SAFE = re.compile(r"[A-Za-z0-9_.-]*")


def links(endpoint: str, key: str, tokens: list[str], **values) -> list[str]:
    """`link(endpoint, key=token, **values)` for many URL-safe tokens (secrets.token_urlsafe,
    itsdangerous): the URL is built once and each token put in its place, since an import mails
    thousands of them. A token that would need quoting is refused, never put in raw."""
    if not _URL_SAFE.fullmatch("".join(tokens)):
        raise ValueError("links() takes URL-safe tokens only; use link() for other values")
    head, _, tail = link(endpoint, **{key: _SLOT}, **values).rpartition(_SLOT)
    return [head + token + tail for token in tokens]
