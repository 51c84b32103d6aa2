"""Villages the gazetteer does not know, where the text says they are villages.

GeoNames (the gazetteer's source) lists settlements of 500+ inhabitants, but front reports name
smaller ones: "das Dorf Klischtschijiwka", "the villages of Staromaiorske and Urozhaine". When a
settlement noun introduces an unknown proper name, that name becomes a place for the whole
article (later mentions and the genitive included), with the id derived from its spelling:
English spellings are already the 2010 romanization; German (Duden) spellings are mapped back
("Kotljariwka" -> "kotliarivka"). Common words (known to simplemma's dictionary), names the
topics know and names the gazetteer matched are never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from simplemma import is_known

from monitor.extract.entities import Ref

# The nouns that say "a settlement follows"; "Stadt"/"town" are left out: towns are in GeoNames.
_NOUN = {
    "de": r"(?:Dorf|Dorfes|Dörfer|Dörfern|Ortschaft|Ortschaften|Siedlung|Siedlungen|Weiler|"
          r"Frontdorf|Grenzdorf|Gemeinde|Nachbardorf|Nachbardorfes|Nachbarort|Nachbarortes|benachbarte|benachbarten)",
    "en": r"(?:village|villages|settlement|settlements|hamlet|hamlets|neighbouring|neighboring)(?:\s+of)?",
}
_WORD = r"[A-ZÄÖÜ][a-zäöüß’'ʼ]+(?:-[A-ZÄÖÜ]?[a-zäöüß’'ʼ]+)*"
# First words of two-word names: "Welyka Nowosilka", "Nova Poltavka", "Krasnyi Lyman".
_FIRST = (r"(?:Welyk[ayei]j?|Velyk[ayei]i?|Mal[ayei]j?|Nowa|Nova|Nowyj|Novyi|Stara|Staryj|Staryi|"
          r"Krasn[ayei]j?|Krasnyi|Tscherwon[ayei]j?|Chervon[ayei]i?|Werchnj[aei]|Verkhni[aei]|"
          r"Nyschnj[aei]|Nyzhni[aei]|Persche|Pershe)")
# one word, or two ("Kutscheriw Jar", "Solotyj Kolodjas"): a second word the dictionary knows is
# trimmed again below ("das Dorf Robotyne Anfang Juni")
_NAME = rf"(?:{_FIRST}\s+{_WORD}|{_WORD}(?:\s+{_WORD})?)"
_SEP = r"(?:\s*,\s*|\s+(?:und|sowie|oder|and|or)\s+|\s*,\s*(?:und|and|or)\s+)"


_PLURAL = {
    "de": r"(?:Dörfer|Dörfern|Ortschaften|Siedlungen|Orte|Orten)",
    "en": r"(?:villages|settlements|hamlets|localities)",
}
_LIST_OPEN = r"(?::|,?\s+(?:darunter|including|among\s+them|unter\s+anderem|namely|nämlich))"


def _finder(lang: str) -> re.Pattern[str]:
    # "das Dorf X", "die Dörfer X und Y"; "fünf Dörfern im Grenzgebiet: X, Y und Z"
    names = rf"({_NAME}(?:{_SEP}{_NAME})*)"
    return re.compile(rf"\b(?:{_NOUN[lang]}\s+|{_PLURAL[lang]}\b[^.;:]{{0,80}}?{_LIST_OPEN}\s+){names}")


_FINDERS = {lang: _finder(lang) for lang in _NOUN}
_NAME_RE = re.compile(_NAME)
# German spellings show themselves: the 2010 romanization has no w, j or sch.
_GERMAN = re.compile(r"w|j|sch", re.IGNORECASE)
# Duden spelling back to the 2010 romanization, longest graphemes first, in one pass (so the
# "ch" that "tsch" became is not read again).
_DE_GRAPHEMES = {"schtsch": "shch", "tsch": "ch", "sch": "sh", "ch": "kh", "z": "ts", "w": "v"}
_DE_PASS = re.compile(r"schtsch|tsch|sch|ch|z|w")
_DE_J = [
    (re.compile(r"(?<=[aeiouy])ss(?=[aeiouyj])"), "s"),   # "Wassjukiwka": Duden's ss before a vowel
    (re.compile(r"\bj(?=[aeiu])"), "y"),          # word-initial я, ю, є, ї: "Jabluniwka"
    (re.compile(r"(?<=[aeiouy])ji"), "i"),         # ї after a vowel: "Klischtschijiwka"
    (re.compile(r"j(?=[aeu])"), "i"),              # я, ю, є inside a word: "Kotljariwka"
    (re.compile(r"ji"), "i"),
    (re.compile(r"j"), "i"),                       # й: "Staromajorske", "Krasnyj"
]


def name_to_id(name: str) -> str:
    """The spec id a spelling stands for: "Klischtschijiwka" -> "klishchiivka"."""
    low = name.lower().replace("’", "").replace("'", "").replace("ʼ", "")
    if _GERMAN.search(name):
        low = low.replace("ä", "a").replace("ö", "o").replace("ü", "u")
        low = _DE_PASS.sub(lambda m: _DE_GRAPHEMES[m.group()], low)
        for pat, rep in _DE_J:
            low = pat.sub(rep, low)
    return re.sub(r"[\s-]+", "-", low).strip("-")


# Second words of village names that are also dictionary words: "Tschassiw Jar", "Poltawske Pole"
_SECOND_PARTS = frozenset(["jar", "yar", "pole", "rih", "balka", "brid", "dolyna", "hora", "hai", "haj"])


def _known(word: str, lang: str) -> bool:
    return bool(is_known(word, lang=lang) or is_known(word.lower(), lang=lang))


def _plausible(name: str, lang: str) -> bool:
    words = name.replace("-", " ").split()
    if any(len(w) < 3 for w in words):
        return False
    # a common word ("das Dorf Gefechte") or a well-known name (Europe, Moskau) is not a village
    last = words[-1]
    return (len(words) > 1 and last.lower() in _SECOND_PARTS) or not _known(last, lang)


def guess_places(body: str, lang: str, refs: Sequence[Ref]) -> list[Ref]:
    """Refs for villages introduced by a settlement noun and unknown otherwise, and for every
    later mention of them in ``body``; none overlaps ``refs``."""
    finder = _FINDERS.get(lang)
    if finder is None:
        return []
    taken = [(r.start, r.end) for r in refs]
    names: dict[str, str] = {}
    for m in finder.finditer(body):
        for n in _NAME_RE.finditer(m.group(1)):
            start = m.start(1) + n.start()
            end = start + len(n.group())
            if _overlaps(taken, start, end):
                continue
            name = n.group()
            words = name.split()
            if len(words) == 2 and not re.match(_FIRST, words[0]) and _known(words[1], lang) \
                    and words[1].lower() not in _SECOND_PARTS:
                name = words[0]
                end = start + len(name)
                if _overlaps(taken, start, end):
                    continue
            if _plausible(name, lang):
                names.setdefault(name, name_to_id(name))
    if not names:
        return []
    out: list[Ref] = []
    pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
                         + r")(s|’s|'s)?\b")
    for m in pattern.finditer(body):
        if _overlaps(taken, m.start(), m.end()):
            continue
        form = "genitive" if m.group(2) else "base"
        out.append(Ref(m.start(), m.end(), m.group(), names[m.group(1)], "place", form))
    return out


def _overlaps(spans: Iterable[tuple[int, int]], start: int, end: int) -> bool:
    return any(a < end and start < b for a, b in spans)
