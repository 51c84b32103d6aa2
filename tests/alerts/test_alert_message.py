"""What a message says: the change in words, the quote, the source, why it fired, both languages."""

from __future__ import annotations

import io

from alerts.console import ConsoleNotifier
from alerts.content import build_message, change_words, header_text
from alerts.model import MessageRef, Side
from tests.alerts.helpers import alert


def render(a: object, language: str = "en") -> str:
    buf = io.StringIO()
    n = ConsoleNotifier(stream=buf, language=language, width=240)
    n.send(a, "#front")  # type: ignore[arg-type]
    return buf.getvalue()


def test_header_says_severity_and_change_in_words() -> None:
    assert header_text(alert(), "en") == "🔴 HIGH · Changed · Kupjansk: threatened → contested"
    assert header_text(alert(), "de") == "🔴 HOCH · Geändert · Kupjansk: bedroht → umkämpft"


def test_meeting_and_numbers_in_words() -> None:
    meeting = alert(kind="meeting", subject="putin+trump@usa", subject_name="Gipfel", old="planned", new="held")
    assert change_words(meeting, "en") == "Putin–Trump meeting in the USA: planned → held"
    assert change_words(meeting, "de") == "Treffen Putin–Trump in den USA: geplant → stattgefunden"
    share = alert(kind="territory", subject="donetsk-oblast", subject_name=None, attribute="share_ukraine",
                  old=30, new=25, unit="percent")
    assert change_words(share, "en") == "Donetsk oblast, held by Ukraine: 30% → 25%"
    assert change_words(share, "de") == "Gebiet Donetsk, von der Ukraine gehalten: 30 % → 25 %"
    area = alert(kind="territory", subject="donetsk-oblast", subject_name=None, attribute="gain_russia",
                 period="per-month", type="new", old=None, new=4000.5, unit="km2")
    assert change_words(area, "en") == "Donetsk oblast, taken by Russia (per month): 4,000.5 km²"
    assert change_words(area, "de") == "Gebiet Donetsk, von Russland erobert (pro Monat): 4.000,5 km²"
    deal = alert(kind="agreement", subject="ceasefire", subject_name="Waffenruhe", old="proposed", new="rejected")
    assert change_words(deal, "en") == "Ceasefire: proposed → rejected"


def test_sentence_quoted_as_written_with_source_date_attribution_modality() -> None:
    out = render(alert())
    assert "“Russische Truppen sind nach ukrainischen Angaben in Kupjansk eingedrungen.”" in out
    assert "tagesschau <https://www.tagesschau.de/ausland/kupjansk.html>" in out
    assert "2025-08-12 · per Ukrainian sources · reported" in out


def test_why_it_fired_previous_belief_and_source_count() -> None:
    out = render(alert())
    assert "Why: topic [ukraine-front] · rule [control.contested.eindringen] · cues: „eingedrungen“" in out
    assert "Before: threatened (since 2025-08-10, Spiegel)" in out
    assert "2 independent sources support this" in out
    de = render(alert(), "de")
    assert "Warum: Thema [ukraine-front] · Regel [control.contested.eindringen]" in de
    assert "Vorher: bedroht (seit 2025-08-10, Spiegel)" in de
    assert "2 unabhängige Quellen stützen dies" in de
    # The article's words stay German in an English message, and vice versa.
    assert "eingedrungen" in render(alert(), "en")


def test_contradiction_shows_both_sides() -> None:
    a = alert(type="contradicted", old="ukraine", new="russia", attribution="russia",
              sentence="Moskau meldet die Einnahme von Kupjansk.", source_name="Zeit",
              previous=Side("ukraine", "2025-08-11", "Kyiv Independent", "https://kyivindependent.com/k",
                            "ukraine", "Ukrainian forces still hold Kupiansk.", "reported"))
    out = render(a)
    assert "Contradiction · Kupjansk: held by Ukraine ↔ held by Russia" in out
    assert "Now claimed: held by Russia · per Russian sources" in out
    assert "“Moskau meldet die Einnahme von Kupjansk.”" in out
    assert "Belief until now: held by Ukraine · per Ukrainian sources" in out
    assert "“Ukrainian forces still hold Kupiansk.”" in out
    assert "Kyiv Independent <https://kyivindependent.com/k> · 2025-08-11" in out


def test_withdrawn_corroboration_and_previous_link() -> None:
    w = render(alert(type="withdrawn", old="russia", new="contested", previous=Side("contested", "2025-08-10", "Spiegel")))
    assert "Withdrawn · Kupjansk: held by Russia → contested" in w
    assert "removed from an updated article" in w
    assert "Back to: contested (since 2025-08-10, Spiegel)" in w
    c = render(alert(type="corroboration", source_name="ZDF", source_count=3))
    assert "Corroborated · Kupjansk: contested" in c and "Corroborated by ZDF" in c
    assert "3 independent sources support this" in c
    linked = render(alert(parent=MessageRef("1.1", "C0FRONT", "https://slack.example/p11")))
    assert "Previous alert: view message <https://slack.example/p11>" in linked


def test_ops_alert() -> None:
    a = alert(type="ops", kind="ops", subject="tagesschau", subject_name="tagesschau", attribute="health",
              new=None, old=None, text="feed failing for 5 polls in a row: HTTP 503", previous=None)
    msg = build_message(a, "en")
    out = render(a)
    assert "⚙️ OPS · tagesschau: feed failing for 5 polls in a row: HTTP 503" in out
    assert msg.alert_ids == (7,)
