"""Agency copies (85%+ shingle overlap) share one source key; different texts do not."""

from __future__ import annotations

from monitor import syndication

AGENCY = (
    "Russische Truppen haben nach Angaben des Verteidigungsministeriums in Moskau das Dorf {n} im Gebiet "
    "Donezk eingenommen. Die ukrainische Seite bestätigte dies zunächst nicht. Der Generalstab in Kiew "
    "sprach von schweren Kämpfen an mehreren Abschnitten der Front. "
)


def long_text(n: int = 12) -> str:
    return " ".join(AGENCY.format(n=f"Ort{i}") + f"Am Tag {i} zählte die Behörde {i * 3} Angriffe bei Ort{i}, "
                    f"sagte Sprecher {i * 7}." for i in range(n))


def test_shingles_are_five_word_windows() -> None:
    assert syndication.shingles("a b c d e f") == {"a b c d e", "b c d e f"}
    assert syndication.shingles("kurz") == {"kurz"}
    assert syndication.shingles("") == set()


def test_exact_overlap_uses_the_smaller_text() -> None:
    a = syndication.shingles("eins zwei drei vier fünf sechs sieben")
    b = syndication.shingles("eins zwei drei vier fünf sechs sieben acht neun zehn")
    assert syndication.overlap(a, b) == 1.0


def test_copy_with_small_edits_is_the_same_source() -> None:
    original = long_text()
    copy = "Kiew/Moskau (dpa) - " + original + " Mehr in Kürze."
    a, b = syndication.sketch(original), syndication.sketch(copy)
    assert a.size > syndication.SKETCH_SIZE  # estimated, not exact
    assert syndication.is_copy(a, b)
    assert syndication.source_key_for("art2", b, [("art1", a)]) == "art1"


def test_different_reports_are_independent_sources() -> None:
    a = syndication.sketch(long_text())
    other = ("Der ukrainische Generalstab meldet, dass die Verteidiger die Stadt Kupjansk weiter halten. "
             "Russische Angriffe seien abgewehrt worden, heißt es in Kiew. ") * 3
    b = syndication.sketch(other)
    assert not syndication.is_copy(a, b)
    assert syndication.source_key_for("art2", b, [("art1", a)]) == "art2"


def test_half_shared_text_is_not_a_copy() -> None:
    half = long_text(6) + " " + " ".join(f"Eigener Satz Nummer {i} mit Inhalt der Redaktion." for i in range(60))
    assert not syndication.is_copy(syndication.sketch(long_text(12)), syndication.sketch(half))


def test_estimate_tracks_exact_overlap() -> None:
    a_text = long_text(12)
    b_text = long_text(12)[: len(a_text) * 9 // 10]
    exact = syndication.overlap(syndication.shingles(a_text), syndication.shingles(b_text))
    est = syndication.estimated_overlap(syndication.sketch(a_text), syndication.sketch(b_text))
    assert abs(exact - est) < 0.1
