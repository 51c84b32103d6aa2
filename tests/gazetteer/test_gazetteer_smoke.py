"""The gazetteer loads its bundled data and finds a place in a sentence."""

from monitor.gazetteer import SETTLEMENT, Gazetteer


def test_loads_bundled_data_with_thousands_of_settlements() -> None:
    gaz = Gazetteer.load()
    settlements = [p for p in gaz.places() if p.kind == SETTLEMENT]
    assert len(settlements) > 5000


def test_finds_and_resolves_a_town_in_its_region() -> None:
    gaz = Gazetteer.load()
    text = "Im Gebiet Saporischschja konnte die russische Seite Kamjanske erobern."
    mentions = gaz.find(text)
    region, town = mentions
    assert region.region_phrase and gaz.resolve(region).id == "zaporizhzhia-oblast"  # type: ignore[union-attr]
    place = gaz.resolve(town, [gaz.resolve(region).id])  # type: ignore[union-attr]
    assert place is not None and place.id == "kamianske-zaporizhzhia"
