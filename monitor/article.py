"""The dated-article format (../shared/spec/article-format.md): parse, render, name.

``render(parse(text)) == text`` byte for byte for any file in the format, and
``parse(render(a)) == a`` for any article the writer produces.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from monitor.errors import ArticleFormatError

_HEADER = re.compile(r" date (\d{4}-\d{2}-\d{2}) ")
_FILE_NAME = re.compile(r"^(\d+)_([0-9a-f]{16})\.txt$")
# Player and teaser lines the seeds still contain; a writer drops them.
_BOILERPLATE = [
    re.compile(r"^Video \| .* Player wird geladen( Quelle: .*)?$"),
    re.compile(r"^(Player wird geladen|Quelle: [\w .-]+)$"),
    re.compile(r"^(Mehr zum Thema|Lesen Sie auch|Auch interessant|Anzeige|Advertisement|Read more)\s*:?.{0,80}$",
               re.IGNORECASE),
    # page furniture trafilatura sometimes keeps: time stamps, media buttons, share bars
    re.compile(r"^Stand: \d{1,2}\.\d{1,2}\.\d{4},? \d{1,2}:\d{2} Uhr$"),
    re.compile(r"^(Video|Audio)( abspielen| herunterladen| starten)?$|^(Artikel|Seite) teilen$|^Zur Startseite$",
               re.IGNORECASE),
    re.compile(r"^(Watch|Listen|Share)( now| this article| on \w+)?$|^Media caption.{0,120}$", re.IGNORECASE),
]


@dataclass(frozen=True, slots=True)
class DatedText:
    """What the format itself carries: the date and the body."""

    date: dt.date
    body: str


def parse(text: str, *, file: str | None = None) -> DatedText:
    """Read a dated-article text; raise ArticleFormatError naming the file and line."""
    m = _HEADER.match(text)
    if not m:
        hint = "the file must start with ' date YYYY-MM-DD ' (a space, 'date', a space, the date, a space)"
        raise ArticleFormatError(f"missing date header; {hint}", file=file, line=1)
    try:
        date = dt.date.fromisoformat(m.group(1))
    except ValueError:
        raise ArticleFormatError(f"invalid date {m.group(1)!r}; use YYYY-MM-DD", file=file, line=1) from None
    body = text[m.end():]
    if not body.strip():
        raise ArticleFormatError("the article has no text after the date header", file=file, line=1)
    return DatedText(date=date, body=body)


def render(date: dt.date, body: str) -> str:
    return f" date {date.isoformat()} {body}"


def read_file(path: Path) -> DatedText:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ArticleFormatError(f"not valid UTF-8 at byte {exc.start}; re-save the file as UTF-8",
                                 file=str(path), line=line) from None
    return parse(text, file=str(path))


def is_boilerplate(line: str) -> bool:
    return any(p.match(line.strip()) for p in _BOILERPLATE)


def normalize_body(paragraphs: list[str], title: str | None = None) -> str:
    """Build a body the writer may produce: NFC, no boilerplate, no empty lines, title first."""
    out: list[str] = []
    for para in paragraphs:
        lines = [unicodedata.normalize("NFC", ln).strip() for ln in para.replace("\r", "\n").split("\n")]
        lines = [re.sub(r"[ \t\u00a0]+", " ", ln) for ln in lines if ln.strip() and not is_boilerplate(ln)]
        if lines:
            out.append("\n".join(lines))
    if title:
        t = re.sub(r"\s+", " ", unicodedata.normalize("NFC", title)).strip()
        if t and (not out or not out[0].startswith(t)):
            out.insert(0, t)
    return "\n\n".join(out)


def item_id(key: str) -> str:
    """16 lowercase hex digits from a stable hash of the item's canonical URL or GUID.

    ``http://`` and ``https://`` forms of the same key give the same id.
    """
    k = key.strip()
    k = re.sub(r"^https?://", "//", k, flags=re.IGNORECASE)
    return hashlib.sha256(k.encode("utf-8")).hexdigest()[:16]


def file_name(seq: int, article_id: str) -> str:
    return f"{seq:03d}_{article_id}.txt"


def id_from_path(path: Path) -> str:
    """The article id of a file: its stem (``000_eb101e659e277c36``), as the spec says."""
    return path.stem


def split_file_name(name: str) -> tuple[int, str] | None:
    m = _FILE_NAME.match(name)
    return (int(m.group(1)), m.group(2)) if m else None
