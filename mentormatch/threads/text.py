"""A message's text on a page: escaped first, then http(s) links made clickable, nothing else."""
import re

from markupsafe import Markup, escape

# Over the escaped text: a link ends at whitespace or at what was a quote or an angle bracket.
_URL = re.compile(r"https?://(?:(?!&lt;|&gt;|&#34;|&#39;|&quot;)\S)+")
_TRAILING = ".,;:!?)]"


def _link(match: re.Match) -> str:
    url = match.group()
    tail = ""
    while url and url[-1] in _TRAILING:  # "see https://x.org." ends the sentence, not the link
        url, tail = url[:-1], url[-1] + tail
    return f'<a href="{url}" rel="nofollow noopener noreferrer" target="_blank">{url}</a>{tail}'


def linkify(body: str) -> Markup:
    return Markup(_URL.sub(_link, str(escape(body))))
