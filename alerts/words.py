"""The alert's own words in English and German: labels, values, numbers, attributions.

Only our own vocabulary lives here; text that came from a feed is never translated or changed.
"""

from __future__ import annotations

from alerts.model import Value

LANGUAGES = ("en", "de")

_L: dict[str, dict[str, str]] = {
    "en": {
        "sev.high": "HIGH", "sev.medium": "MEDIUM", "sev.low": "LOW",
        "type.new": "New", "type.changed": "Changed", "type.contradicted": "Contradiction",
        "type.withdrawn": "Withdrawn", "type.corroboration": "Corroborated", "type.ops": "Ops",
        "why": "Why", "topic": "topic", "rule": "rule", "cues": "cues",
        "before": "Before", "reverts_to": "Back to", "since": "since", "no_belief": "no belief",
        "sources_one": "1 independent source supports this",
        "sources_many": "{n} independent sources support this",
        "now_claims": "Now claimed", "belief_was": "Belief until now",
        "previous_alert": "Previous alert", "view": "view message",
        "corroborated_by": "Corroborated by", "alert": "alert",
        "withdrawn_note": "The claim was removed from an updated article; the belief reverts.",
        "digest": "Digest", "digest_count": "{n} alerts on {s} subjects",
        "more_not_shown": "{n} more not shown (see `monitor alerts`)",
        "venue": "venue", "date": "date", "unknown_source": "unknown source",
        "ops_title": "Feed health",
    },
    "de": {
        "sev.high": "HOCH", "sev.medium": "MITTEL", "sev.low": "NIEDRIG",
        "type.new": "Neu", "type.changed": "Geändert", "type.contradicted": "Widerspruch",
        "type.withdrawn": "Zurückgezogen", "type.corroboration": "Bestätigt", "type.ops": "Betrieb",
        "why": "Warum", "topic": "Thema", "rule": "Regel", "cues": "Signalwörter",
        "before": "Vorher", "reverts_to": "Zurück auf", "since": "seit", "no_belief": "kein Stand",
        "sources_one": "1 unabhängige Quelle stützt dies",
        "sources_many": "{n} unabhängige Quellen stützen dies",
        "now_claims": "Jetzt gemeldet", "belief_was": "Bisheriger Stand",
        "previous_alert": "Vorige Meldung", "view": "Nachricht öffnen",
        "corroborated_by": "Bestätigt durch", "alert": "Meldung",
        "withdrawn_note": "Die Aussage wurde aus einem aktualisierten Artikel entfernt; der Stand fällt zurück.",
        "digest": "Zusammenfassung", "digest_count": "{n} Meldungen zu {s} Themen",
        "more_not_shown": "{n} weitere nicht gezeigt (siehe `monitor alerts`)",
        "venue": "Ort", "date": "Datum", "unknown_source": "unbekannte Quelle",
        "ops_title": "Feed-Zustand",
    },
}

_VALUES: dict[str, dict[str, str]] = {
    "en": {
        "control.russia": "held by Russia", "control.ukraine": "held by Ukraine",
        "control.contested": "contested", "control.encircled": "encircled",
        "control.threatened": "threatened",
        "status.proposed": "proposed", "status.planned": "planned", "status.held": "held",
        "status.cancelled": "cancelled", "status.postponed": "postponed", "status.rejected": "rejected",
        "status.agreed": "agreed", "status.signed": "signed", "status.broken": "broken",
    },
    "de": {
        "control.russia": "von Russland gehalten", "control.ukraine": "von der Ukraine gehalten",
        "control.contested": "umkämpft", "control.encircled": "eingekesselt",
        "control.threatened": "bedroht",
        "status.proposed": "vorgeschlagen", "status.planned": "geplant", "status.held": "stattgefunden",
        "status.cancelled": "abgesagt", "status.postponed": "verschoben", "status.rejected": "abgelehnt",
        "status.agreed": "vereinbart", "status.signed": "unterzeichnet", "status.broken": "gebrochen",
    },
}

_TERRITORY: dict[str, dict[str, str]] = {
    "en": {
        "share_ukraine": "held by Ukraine", "share_russia": "held by Russia",
        "area_ukraine": "area held by Ukraine", "area_russia": "area held by Russia",
        "gain_russia": "taken by Russia", "gain_ukraine": "taken by Ukraine",
    },
    "de": {
        "share_ukraine": "von der Ukraine gehalten", "share_russia": "von Russland gehalten",
        "area_ukraine": "Fläche unter ukrainischer Kontrolle",
        "area_russia": "Fläche unter russischer Kontrolle",
        "gain_russia": "von Russland erobert", "gain_ukraine": "von der Ukraine erobert",
    },
}

_PERIODS = {
    "en": {"per-month": "per month", "per-week": "per week", "per-day": "per day"},
    "de": {"per-month": "pro Monat", "per-week": "pro Woche", "per-day": "pro Tag"},
}

_ATTRIBUTION = {
    "en": {"ukraine": "per Ukrainian sources", "russia": "per Russian sources", "usa": "per US sources",
           "media": "per media reports"},
    "de": {"ukraine": "nach ukrainischen Angaben", "russia": "nach russischen Angaben",
           "usa": "nach US-Angaben", "media": "laut Medien"},
}

_MODALITY = {
    "en": {"asserted": "stated as fact", "reported": "reported", "hedged": "hedged", "negated": "negated"},
    "de": {"asserted": "als Tatsache", "reported": "berichtet", "hedged": "vage", "negated": "verneint"},
}

_NAMES = {
    "en": {"trump": "Trump", "putin": "Putin", "zelensky": "Zelensky", "usa": "USA", "russia": "Russia",
           "ukraine": "Ukraine", "turkey": "Turkey", "meeting": "meeting",
           "ceasefire": "Ceasefire", "air-ceasefire": "Air ceasefire", "energy-ceasefire": "Energy ceasefire",
           "prisoner-exchange": "Prisoner exchange", "peace-deal": "Peace deal",
           "minerals-deal": "Minerals deal", "security-guarantees": "Security guarantees",
           "oblast": "oblast", "in": "in"},
    "de": {"trump": "Trump", "putin": "Putin", "zelensky": "Selenskyj", "usa": "USA", "russia": "Russland",
           "ukraine": "Ukraine", "turkey": "Türkei", "meeting": "Treffen",
           "ceasefire": "Waffenruhe", "air-ceasefire": "Waffenruhe in der Luft",
           "energy-ceasefire": "Energie-Waffenruhe", "prisoner-exchange": "Gefangenenaustausch",
           "peace-deal": "Friedensabkommen", "minerals-deal": "Rohstoffabkommen",
           "security-guarantees": "Sicherheitsgarantien", "oblast": "Gebiet", "in": "in"},
}


# A venue after "in": "in the USA" / "in den USA".
_VENUES = {
    "en": {"usa": "the USA", "russia": "Russia", "turkey": "Turkey", "ukraine": "Ukraine"},
    "de": {"usa": "den USA", "russia": "Russland", "turkey": "der Türkei", "ukraine": "der Ukraine"},
}


def lang_of(language: str) -> str:
    return language if language in LANGUAGES else "en"


def word(key: str, language: str, **fmt: object) -> str:
    text = _L[lang_of(language)].get(key) or _L["en"].get(key, key)
    return text.format(**fmt) if fmt else text


def attribution(value: str | None, language: str) -> str | None:
    """"per Ukrainian sources"; an attribution we have no phrase for is named as it is."""
    if not value:
        return None
    table = _ATTRIBUTION[lang_of(language)]
    if value in table:
        return table[value]
    return ("per " if lang_of(language) == "en" else "laut ") + value


def modality(value: str | None, language: str) -> str | None:
    if not value:
        return None
    return _MODALITY[lang_of(language)].get(value, value)


def number(v: float | int, language: str) -> str:
    """30, 0.66 / 0,66, 4,000 / 4.000: the reader's notation."""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    text = f"{v:,}" if isinstance(v, int) else f"{v:,.2f}".rstrip("0").rstrip(".")
    if lang_of(language) == "de":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def value(kind: str, attribute: str, v: Value | None, unit: str | None, language: str) -> str:
    """A claim value in words: 'held by Russia', 'planned', '30%', '4,000 km²'."""
    lang = lang_of(language)
    if v is None:
        return word("no_belief", lang)
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, int | float):
        n = number(v, lang)
        if unit == "percent":
            return f"{n}%" if lang == "en" else f"{n} %"
        if unit == "km2":
            return f"{n} km²"
        return n
    if kind == "control":
        return _VALUES[lang].get(f"control.{v}", v)
    if attribute == "status":
        return _VALUES[lang].get(f"status.{v}", v)
    if kind == "meeting" and attribute == "location":
        return _title(v)  # a place id: "anchorage" -> "Anchorage"
    return v


def _title(ident: str) -> str:
    return " ".join(p.capitalize() for p in ident.split("-") if p)


def subject(kind: str, subject_id: str, subject_name: str | None, language: str) -> str:
    """How the header names the subject: the words the article used, else a name from the id."""
    lang = lang_of(language)
    names = _NAMES[lang]
    if kind == "meeting":
        # The ids, not the article's words: "das Treffen" names no one.
        who, _, venue = subject_id.partition("@")
        people = "–".join(names.get(p, _title(p)) for p in who.split("+"))
        text = f"{people} {names['meeting']}" if lang == "en" else f"{names['meeting']} {people}"
        return f"{text} {names['in']} {_VENUES[lang].get(venue, _title(venue))}" if venue else text
    if kind == "agreement":
        return names.get(subject_id, subject_name or _title(subject_id))
    if subject_name and not subject_id.endswith("-oblast"):
        return subject_name
    if subject_id.endswith("-oblast"):
        # The article's words for a region are often a phrase ("Regionen Saporischschja"): the
        # id gives a cleaner header.
        base = _title(subject_id[: -len("-oblast")])
        return f"{base} oblast" if lang == "en" else f"Gebiet {base}"
    return _title(subject_id)


def key_label(kind: str, subject_id: str, subject_name: str | None, attribute: str, period: str | None,
              language: str) -> str:
    """'Kupjansk', 'Donetsk oblast, held by Ukraine', 'Trump–Putin meeting, venue'."""
    lang = lang_of(language)
    name = subject(kind, subject_id, subject_name, lang)
    if kind == "territory":
        label = f"{name}, {_TERRITORY[lang].get(attribute, attribute)}"
        if period:
            label += f" ({_PERIODS[lang].get(period, period)})"
        return label
    if kind == "meeting" and attribute == "location":
        return f"{name}, {word('venue', lang)}"
    if kind == "meeting" and attribute == "date":
        return f"{name}, {word('date', lang)}"
    if kind in ("control", "meeting", "agreement") and attribute == "status":
        return name
    return f"{name}, {attribute}"
