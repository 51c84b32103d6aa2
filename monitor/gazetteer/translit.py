"""Transliteration of Ukrainian place names: ids, English and German spellings.

Three tables, each from one convention:

* ``romanize_en`` — Ukraine's 2010 national romanization (the one English Wikipedia titles use):
  "Часів Яр" -> "Chasiv Yar". Ids are this spelling in lowercase, words joined by '-'.
* ``germanize`` — the Duden transliteration German newsrooms use: "Часів Яр" -> "Tschassiw Jar".
* ``ukrainian_score`` — how much a Cyrillic spelling looks Ukrainian rather than Russian, used to
  pick the Ukrainian name out of GeoNames' untagged alternate names.
"""

from __future__ import annotations

import re
import unicodedata

APOSTROPHES = "'’ʼ`´"
UK_VOWELS = set("аеєиіїоуюяАЕЄИІЇОУЮЯ")
# Letters of the Ukrainian and Russian alphabets; a name with any other Cyrillic letter is
# Belarusian, Serbian, Bulgarian, Kazakh, ... and is not used.
UK_RU_LETTERS = set("абвгґдеєжзиіїйклмнопрстуфхцчшщьюяыэъё")
_CYR_NAME = re.compile(r"^[\w\s'’ʼ\-.]+$")

# 2010 table; word-initial forms differ for є ї й ю я.
_EN = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ж": "zh",
    "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n",
    "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu", "я": "ia",
    # Russian letters, so a Russian-only name still gets a readable id
    "ы": "y", "э": "e", "ъ": "", "ё": "io",
}
_EN_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya", "ё": "yo"}

_DE = {
    "а": "a", "б": "b", "в": "w", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "je", "ж": "sch",
    "з": "s", "и": "y", "і": "i", "ї": "ji", "й": "j", "к": "k", "л": "l", "м": "m", "н": "n",
    "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "ch", "ц": "z",
    "ч": "tsch", "ш": "sch", "щ": "schtsch", "ь": "", "ю": "ju", "я": "ja",
    "ы": "y", "э": "e", "ъ": "", "ё": "jo",
}


def strip_stress(name: str) -> str:
    """Drop combining accents (GeoNames marks stress: "Олекса́ндрівськ")."""
    decomposed = unicodedata.normalize("NFD", name)
    kept = "".join(c for c in decomposed if unicodedata.category(c) != "Mn" or c in "\u0306\u0308")
    # й and ї decompose into a base letter plus a mark; recompose so they survive.
    return unicodedata.normalize("NFC", kept)


def is_uk_ru(name: str) -> bool:
    """True when ``name`` is written only with Ukrainian/Russian Cyrillic letters (plus spaces etc.)."""
    if not _CYR_NAME.match(name):
        return False
    letters = [c.lower() for c in name if c.isalpha()]
    return bool(letters) and all(c in UK_RU_LETTERS for c in letters)


def _case(out: str, src: str) -> str:
    return out[:1].upper() + out[1:] if src.isupper() else out


def romanize_en(name: str) -> str:
    """The 2010 national romanization: "Куп'янськ" -> "Kupiansk", "Згурівка" -> "Zghurivka"."""
    out: list[str] = []
    prev = ""  # previous Cyrillic letter in the word ("" at a word start)
    for ch in name:
        low = ch.lower()
        if low in APOSTROPHES:
            continue
        if low not in _EN:
            out.append(ch)
            prev = "" if not ch.isalpha() else low
            continue
        if prev == "" and low in _EN_INITIAL:
            tr = _EN_INITIAL[low]
        elif low == "г" and prev == "з":
            tr = "gh"  # зг is "zgh", so it is not read as ж
        else:
            tr = _EN[low]
        out.append(_case(tr, ch))
        prev = low
    return "".join(out)


def place_id(name: str) -> str:
    """The spec's id of a Ukrainian name: "Часів Яр" -> "chasiv-yar", "Мар'їнка" -> "marinka"."""
    latin = romanize_en(name).lower()
    latin = unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", latin).strip("-")


def germanize(name: str) -> str:
    """Duden transliteration: "Авдіївка" -> "Awdijiwka", "Одеса" -> "Odessa" (s between vowels)."""
    out: list[str] = []
    chars = [c for c in name if c not in APOSTROPHES]
    for i, ch in enumerate(chars):
        low = ch.lower()
        if low not in _DE:
            out.append(ch)
            continue
        tr = _DE[low]
        if low == "ь" and i + 1 < len(chars) and chars[i + 1].lower() == "о":
            tr = "j"  # ьо is "jo" in German: "Льовочкіне" -> "Ljowotschkine"
        if low == "с":
            before = chars[i - 1] if i > 0 else ""
            after = chars[i + 1] if i + 1 < len(chars) else ""
            if before in UK_VOWELS and after in UK_VOWELS:
                tr = "ss"
        out.append(_case(tr, ch))
    return "".join(out)


def ascii_fold(name: str) -> str:
    """Lowercase letters and digits only, accents removed: for comparing spellings."""
    folded = unicodedata.normalize("NFKD", name.lower()).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]", "", folded)


def ukrainian_score(name: str) -> float:
    """How Ukrainian (positive) or Russian (negative) a Cyrillic spelling looks."""
    low = name.lower()
    score = 0.0
    if any(c in "іїєґ" for c in low) or any(c in APOSTROPHES for c in low):
        score += 3
    if any(c in "ыэъё" for c in low):
        score -= 5
    if re.search(r"[сцз]ьк", low):
        score += 1
    if re.search(r"(?<!ь)ск(ий|ое|ая)?\b", low):
        score -= 1
    if re.search(r"(ое|ая|ые|ый)\b", low):
        score -= 2
    # Tie-breakers between spellings that romanize alike. Ukrainian writes ї after a vowel or
    # apostrophe and і after a consonant: "Мар'їнка" and "Дніпро", not "Мар'інка", "Днїпро".
    score -= len(re.findall(r"[бвгґджзйклмнпрстфхцчшщ]ї", low))
    score -= len(re.findall(r"[аеєиіїоуюя'’ʼ]і", low))
    # "Севастополь", not the Serbian "Севастопол".
    return score + 0.3 * low.count("ь")
