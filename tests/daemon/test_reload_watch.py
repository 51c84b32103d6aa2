"""The reload watcher on real files: a valid edit hands over a new config, an invalid one is
rejected with file:line and fix and reported once, the running config stays."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from monitor.config import load_config
from monitor.errors import ConfigError
from monitor.reload import Reloader
from monitor.topics import load_topics

REPO = Path(__file__).resolve().parents[2]

BASE = """\
topics_dir: topics
feeds:
  - id: one
    url: http://127.0.0.1:9/one.xml
    interval: 300
"""


@pytest.fixture
def setup(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "config" / "topics", tmp_path / "topics")
    (tmp_path / "monitor.yaml").write_text(BASE, encoding="utf-8")
    return tmp_path / "monitor.yaml"


def touch_later(p: Path, text: str) -> None:
    """Write and move the mtime forward, so the change shows on filesystems with coarse times."""
    st = p.stat() if p.exists() else None
    p.write_text(text, encoding="utf-8")
    if st is not None:
        os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))


def test_nothing_changed_nothing_reloaded(setup: Path) -> None:
    r = Reloader(load_config(setup), load_topics=load_topics)
    assert r.poll() is None


def test_a_valid_edit_is_handed_over(setup: Path) -> None:
    r = Reloader(load_config(setup), load_topics=load_topics)
    touch_later(setup, BASE + "  - id: two\n    url: http://127.0.0.1:9/two.xml\n")
    change = r.poll()
    assert change is not None
    assert [f.id for f in change.loaded.config.feeds] == ["one", "two"]
    assert str(setup) in change.files
    assert r.poll() is None  # handed over once


def test_an_invalid_edit_is_rejected_once_with_file_line_and_fix(setup: Path,
                                                               caplog: pytest.LogCaptureFixture) -> None:
    rejected: list[tuple[ConfigError, list[str]]] = []
    r = Reloader(load_config(setup), load_topics=load_topics, on_reject=lambda e, f: rejected.append((e, f)))
    touch_later(setup, BASE.replace("interval: 300", "interval: 5"))
    assert r.poll() is None
    assert r.poll() is None  # the same broken state is not reported again
    assert len(rejected) == 1
    err = rejected[0][0]
    assert err.file == str(setup) and err.line == 5 and err.fix
    assert f"{setup}:5:" in caplog.text and "running configuration stays" in caplog.text
    # fixing the file is picked up
    touch_later(setup, BASE.replace("interval: 300", "interval: 600"))
    change = r.poll()
    assert change is not None and change.loaded.config.feeds[0].interval == 600


def test_a_broken_topic_file_rejects_the_whole_change(setup: Path) -> None:
    rejected: list[ConfigError] = []
    r = Reloader(load_config(setup), load_topics=load_topics, on_reject=lambda e, f: rejected.append(e))
    topic = sorted((setup.parent / "topics").glob("*.yaml"))[0]
    good = topic.read_text(encoding="utf-8")
    touch_later(topic, good + "\nthis_key_does_not_exist: 1\n")
    assert r.poll() is None
    assert len(rejected) == 1 and rejected[0].file is not None and topic.name in rejected[0].file
    assert rejected[0].line is not None
    touch_later(topic, good)
    assert r.poll() is not None


def test_a_new_topic_file_is_watched_and_its_removal_too(setup: Path) -> None:
    rejected: list[ConfigError] = []
    r = Reloader(load_config(setup), load_topics=load_topics, on_reject=lambda e, f: rejected.append(e))
    extra = setup.parent / "topics" / "zz-new.yaml"
    extra.write_text("id: [unclosed\n", encoding="utf-8")
    assert r.poll() is None
    assert len(rejected) == 1 and rejected[0].file is not None and rejected[0].file.endswith("zz-new.yaml")
    extra.unlink()
    change = r.poll()
    assert change is not None and str(extra) in change.files
