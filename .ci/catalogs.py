"""The catalogs are whole (issue 18): fails when a marked string has no translation in a shipped
language, when a translation breaks its placeholders, or when a template holds user-facing text that
is not marked for translation. Run by `make lint`; `make translations` brings the catalogs up to date.

Unmarked text is found with Jinja's own lexer: the literal text of a template (outside {{ }}, {% %},
{# #} and {% trans %} blocks), with HTML tags, comments, entities, <script> and <style> taken out,
must hold no word; nor may the text attributes people read (title, alt, placeholder, aria-label).
"""
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po
from jinja2 import Environment

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from mentormatch.config import LANGUAGES, TRANSLATIONS_DIR  # noqa: E402

# Text that is the same in every language: the product's name, and marks.
SAME_EVERYWHERE = {"MentorMatch"}
WORD = re.compile(r"[^\W\d_]{2,}")
READ_ATTRIBUTES = re.compile(r"""\b(?:title|alt|placeholder|aria-label)\s*=\s*(["'])([^"'{}]*)\1""")
NOT_TEXT = re.compile(r"<!--.*?-->|<(script|style)\b.*?</\1\s*>|&#?\w+;", re.S | re.I)


def extracted() -> Path:
    pot = Path(tempfile.mkdtemp()) / "messages.pot"
    subprocess.run([str(Path(sys.executable).with_name("pybabel")), "extract", "-F", "babel.cfg",
                    "-k", "lazy_gettext", "-k", "_l", "--no-location", "-o", str(pot), "mentormatch", "templates"],
                   cwd=ROOT, check=True, capture_output=True)
    return pot


def untranslated(pot: Path) -> list[str]:
    with pot.open("rb") as f:
        wanted = [m for m in read_po(f) if m.id]
    problems = []
    for code in LANGUAGES:
        if code == "en":
            continue
        po = TRANSLATIONS_DIR / code / "LC_MESSAGES" / "messages.po"
        if not po.exists():
            problems.append(f"{po.relative_to(ROOT)}: missing (make translations)")
            continue
        with po.open("rb") as f:
            catalog = read_po(f, locale=code)
        for m in wanted:
            have = catalog.get(m.id, context=m.context)
            strings = have.string if have is not None and isinstance(have.string, tuple) else (have and (have.string,))
            if have is None or have.fuzzy or not strings or not all(strings):
                shown = m.id[0] if isinstance(m.id, tuple) else m.id
                problems.append(f"{po.relative_to(ROOT)}: no {code} translation for {shown!r}")
        for message, errors in catalog.check():
            for error in errors:
                problems.append(f"{po.relative_to(ROOT)}: {message.id!r}: {error}")
    return problems


def _text_of(data: str, in_tag: bool) -> tuple[str, bool]:
    """The text outside HTML tags in one stretch of template data, and whether it ends inside a tag."""
    out = []
    i = 0
    while i < len(data):
        c = data[i]
        if in_tag:
            if c == ">":
                in_tag = False
        elif c == "<" and (i + 1 == len(data) or data[i + 1].isalpha() or data[i + 1] in "/!"):
            in_tag = True  # at the end of the data: a tag whose name is a variable, "<{{ tag }}"
        else:
            out.append(c)
        i += 1
    return "".join(out), in_tag


def unmarked(path: Path, env: Environment) -> list[str]:
    source = path.read_text()
    problems = []
    for m in READ_ATTRIBUTES.finditer(NOT_TEXT.sub(" ", source)):
        if WORD.search(m.group(2)):
            problems.append(f"{path.relative_to(ROOT)}: unmarked attribute text {m.group(0)!r}")
    stripped = NOT_TEXT.sub(lambda m: "\n" * m.group(0).count("\n"), source)
    in_trans = in_tag = False
    # Jinja's lexer yields the whitespace inside a tag as tokens of its own: leave them out, so that
    # "{% trans %}" is seen as a block_begin followed by the name "trans".
    tokens = [t for t in env.lex(stripped) if t[1] != "whitespace"]
    for k, (line, kind, value) in enumerate(tokens):
        if kind == "name" and k and tokens[k - 1][1] == "block_begin":
            in_trans = {"trans": True, "pluralize": in_trans, "endtrans": False}.get(value, in_trans)
        if kind != "data" or in_trans:
            continue
        text, in_tag = _text_of(value, in_tag)
        if path.suffix == ".txt":
            text = re.sub(r"^Subject:", "", text, flags=re.M)
        for chunk in re.split(r"\n\s*\n|<|>", text):
            chunk = " ".join(chunk.split())
            if WORD.search(chunk) and chunk not in SAME_EVERYWHERE:
                problems.append(f"{path.relative_to(ROOT)}:{line}: unmarked text {chunk[:70]!r}")
    return problems


def main() -> int:
    env = Environment(extensions=["jinja2.ext.i18n"])
    templates = sorted(p for p in (ROOT / "templates").rglob("*") if p.suffix in {".html", ".txt"})
    problems = [p for t in templates for p in unmarked(t, env)]
    problems += untranslated(extracted())
    for p in problems:
        print(p)
    if problems:
        print(f"catalogs: {len(problems)} problems (mark the text, then `make translations` and translate)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
