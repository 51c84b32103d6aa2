"""The gazetteer: Ukrainian places with their German, English, Ukrainian and Russian names.

``Gazetteer.load()`` reads the bundled GeoNames data (``monitor/data/gazetteer.tsv.gz``, built by
``scripts/build_gazetteer.py``) and the curated ``config/topics/places.yaml``; ``find`` locates
names in a text in one automaton pass; ``resolve`` picks the place a mention means.
"""

from monitor.gazetteer.gazetteer import Gazetteer, default_gazetteer
from monitor.gazetteer.model import OBLAST, PENINSULA, REGION, SETTLEMENT, Mention, Place
from monitor.gazetteer.translit import germanize, place_id, romanize_en

__all__ = [
    "OBLAST",
    "PENINSULA",
    "REGION",
    "SETTLEMENT",
    "Gazetteer",
    "Mention",
    "Place",
    "default_gazetteer",
    "germanize",
    "place_id",
    "romanize_en",
]
