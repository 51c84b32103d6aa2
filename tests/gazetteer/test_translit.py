"""Transliteration: ids follow the 2010 national romanization, German names the Duden table."""

from __future__ import annotations

import pytest

from monitor.gazetteer import germanize, place_id, romanize_en
from monitor.gazetteer.translit import strip_stress, ukrainian_score

# Ukrainian name, spec id, German name (as German newsrooms write it)
NAMES = [
    ("Покровськ", "pokrovsk", "Pokrowsk"),
    ("Куп'янськ", "kupiansk", "Kupjansk"),
    ("Куп’янськ", "kupiansk", "Kupjansk"),
    ("Костянтинівка", "kostiantynivka", "Kostjantyniwka"),
    ("Мирноград", "myrnohrad", "Myrnohrad"),
    ("Слов'янськ", "sloviansk", "Slowjansk"),
    ("Краматорськ", "kramatorsk", "Kramatorsk"),
    ("Часів Яр", "chasiv-yar", "Tschassiw Jar"),
    ("Харків", "kharkiv", "Charkiw"),
    ("Одеса", "odesa", "Odessa"),
    ("Запоріжжя", "zaporizhzhia", "Saporischschja"),
    ("Херсон", "kherson", "Cherson"),
    ("Бахмут", "bakhmut", "Bachmut"),
    ("Авдіївка", "avdiivka", "Awdijiwka"),
    ("Вугледар", "vuhledar", "Wuhledar"),
    ("Торецьк", "toretsk", "Torezk"),
    ("Соледар", "soledar", "Soledar"),
    ("Мар'їнка", "marinka", "Marjinka"),
    ("Ізюм", "izium", "Isjum"),
    ("Балаклія", "balakliia", "Balaklija"),
    ("Лиман", "lyman", "Lyman"),
    ("Снігурівка", "snihurivka", "Snihuriwka"),
    ("Нова Каховка", "nova-kakhovka", "Nowa Kachowka"),
    ("Маріуполь", "mariupol", "Mariupol"),
    ("Кремінна", "kreminna", "Kreminna"),
    ("Сватове", "svatove", "Swatowe"),
    ("Степове", "stepove", "Stepowe"),
    ("Кам'янське", "kamianske", "Kamjanske"),
    ("Донецьк", "donetsk", "Donezk"),
    ("Миколаїв", "mykolaiv", "Mykolajiw"),
    ("Київ", "kyiv", "Kyjiw"),
    ("Сєвєродонецьк", "sievierodonetsk", "Sjewjerodonezk"),
    ("Гуляйполе", "huliaipole", "Huljajpole"),
    ("Щастя", "shchastia", "Schtschastja"),
    ("Івано-Франківськ", "ivano-frankivsk", "Iwano-Frankiwsk"),
    ("Кривий Ріг", "kryvyi-rih", "Krywyj Rih"),
    ("Ґорґани", "gorgany", "Gorgany"),
    ("Льовочкіне", "lovochkine", "Ljowotschkine"),
    ("Згурівка", "zghurivka", "Shuriwka"),
]


@pytest.mark.parametrize(("uk", "ident", "de"), NAMES)
def test_id_and_german_name(uk: str, ident: str, de: str) -> None:
    assert place_id(uk) == ident
    assert germanize(uk) == de


@pytest.mark.parametrize(("uk", "en"), [
    ("Часів Яр", "Chasiv Yar"),
    ("Куп'янськ", "Kupiansk"),
    # word-initial є ї й ю я are ye yi y yu ya
    ("Єнакієве", "Yenakiieve"),
    ("Їжакевич", "Yizhakevych"),
    ("Йосипівка", "Yosypivka"),
    ("Южноукраїнськ", "Yuzhnoukrainsk"),
    ("Ясинувата", "Yasynuvata"),
    # зг is zgh, so it is not read as ж
    ("Згурівка", "Zghurivka"),
])
def test_english_2010_romanization(uk: str, en: str) -> None:
    assert romanize_en(uk) == en


def test_stress_marks_are_dropped_but_breve_and_diaeresis_kept() -> None:
    assert strip_stress("Олекса́ндрівськ") == "Олександрівськ"
    assert strip_stress("Гуляйполе") == "Гуляйполе"
    assert strip_stress("Мар'їнка") == "Мар'їнка"


def test_ukrainian_spelling_outscores_russian_and_misspelt_ones() -> None:
    assert ukrainian_score("Покровськ") > ukrainian_score("Покровск")
    assert ukrainian_score("Кам'янське") > ukrainian_score("Каменское")
    assert ukrainian_score("Мар’їнка") > ukrainian_score("Мар’інка")
    assert ukrainian_score("Дніпро") > ukrainian_score("Днїпро")
    assert ukrainian_score("Севастополь") > ukrainian_score("Севастопол")
