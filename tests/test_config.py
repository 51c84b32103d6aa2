"""Configuration: errors name file, line, field and fix; env overrides; unknown keys; documented keys.

The last test checks the docs: every key of every config model appears in config/monitor.yaml
(as a setting or as a commented-out default) with a comment, and the file with its commented
examples switched on is itself a valid config.
"""

from __future__ import annotations

import re
import typing
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from monitor.config import MonitorConfig, load_config
from monitor.errors import ConfigError

REPO = Path(__file__).resolve().parents[1]
DEFAULT = REPO / "config" / "monitor.yaml"


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "monitor.yaml"
    p.write_text(text, encoding="utf-8")
    return p


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for k in list(os.environ):
        if k.startswith("MONITOR_"):
            monkeypatch.delenv(k)


def test_default_config_works_out_of_the_box() -> None:
    cfg = load_config(DEFAULT).config
    assert cfg.database.url == "sqlite:///./data/monitor.db"
    assert cfg.archive.dir == "./data/archive" and cfg.archive.enabled
    assert not cfg.http.allow_private
    langs = {f.language for f in cfg.feeds}
    assert langs == {"de", "en"} and len(cfg.feeds) >= 12
    hosts = " ".join(f.url for f in cfg.feeds)
    for outlet in ("tagesschau.de", "zdf.de", "dw.com", "spiegel.de", "zeit.de", "t-online.de", "bbc",
                   "theguardian.com"):
        assert outlet in hosts, outlet
    assert all(f.url.startswith("https://") for f in cfg.feeds)


def test_error_names_file_line_field_and_fix(tmp_path: Path) -> None:
    p = write(tmp_path, "feeds:\n  - id: a\n    url: https://a.example/rss\n"
                        "  - id: b\n    url: https://b.example/rss\n    interval: 5\n")
    with pytest.raises(ConfigError) as ei:
        load_config(p)
    err = ei.value
    assert (err.file, err.line, err.field) == (str(p), 6, "feeds[1].interval")
    assert str(err).startswith(f"{p}:6: feeds[1].interval: ") and "fix: raise the value" in str(err)


def test_unknown_keys_are_errors_with_their_line(tmp_path: Path) -> None:
    p = write(tmp_path, "database:\n  url: sqlite:///x.db\nhttp:\n  connect_timeout: 3\n  read_timout: 4\n")
    with pytest.raises(ConfigError) as ei:
        load_config(p)
    assert ei.value.line == 5 and ei.value.field == "http.read_timout"
    assert "remove the key or check its spelling" in str(ei.value)
    p = write(tmp_path, "databse:\n  url: sqlite:///x.db\n")
    with pytest.raises(ConfigError, match=r":1: databse: .*fix"):
        load_config(p)


def test_wrong_values_name_the_allowed_ones(tmp_path: Path) -> None:
    p = write(tmp_path, "feeds:\n  - id: a\n    url: https://a.example/rss\n    language: fr\n")
    with pytest.raises(ConfigError, match=r":4: feeds\[0\]\.language: .*fix: use one of the allowed values"):
        load_config(p)
    p = write(tmp_path, "feeds:\n  - id: a\n    url: ftp://a.example/rss\n")
    with pytest.raises(ConfigError, match=r":3: feeds\[0\]\.url: .*http"):
        load_config(p)


def test_duplicate_keys_and_syntax_errors_name_the_line(tmp_path: Path) -> None:
    p = write(tmp_path, "http:\n  per_host: 2\n  per_host: 3\n")
    with pytest.raises(ConfigError, match=r":3: .*duplicate key 'per_host'"):
        load_config(p)
    p = write(tmp_path, "http:\n  per_host: [2\n")
    with pytest.raises(ConfigError, match="YAML syntax error"):
        load_config(p)


def test_duplicate_feed_ids_are_errors(tmp_path: Path) -> None:
    p = write(tmp_path, "feeds:\n  - id: a\n    url: https://a.example/rss\n  - id: a\n    url: https://b.example/rss\n")
    with pytest.raises(ConfigError, match="used twice"):
        load_config(p)


def test_environment_overrides_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = write(tmp_path, "database:\n  url: sqlite:///file.db\nslack:\n  base_url: https://slack.com/api/\n")
    monkeypatch.setenv("MONITOR_DATABASE__URL", "postgresql+psycopg://postgres@127.0.0.1/x")
    monkeypatch.setenv("MONITOR_SLACK__BASE_URL", "http://127.0.0.1:9999/api/")
    monkeypatch.setenv("MONITOR_HTTP__PER_HOST", "5")
    cfg = load_config(p).config
    assert cfg.database.url == "postgresql+psycopg://postgres@127.0.0.1/x"
    assert cfg.slack.base_url == "http://127.0.0.1:9999/api/"
    assert cfg.http.per_host == 5
    assert cfg.http.connect_timeout == 5.0  # untouched keys keep the file's or the default value


def test_monitor_config_env_picks_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = write(tmp_path, "http:\n  per_host: 7\n")
    monkeypatch.setenv("MONITOR_CONFIG", str(p))
    assert load_config().config.http.per_host == 7
    monkeypatch.setenv("MONITOR_CONFIG", str(tmp_path / "missing.yaml"))
    with pytest.raises(ConfigError, match="file not found"):
        load_config()


@settings(max_examples=60, deadline=None)
@given(key=st.from_regex(r"[a-z][a-z_]{2,15}", fullmatch=True))
def test_any_unknown_key_is_rejected_with_its_line(key: str) -> None:
    import tempfile

    if key in MonitorConfig.model_fields["http"].annotation.model_fields:  # type: ignore[union-attr]
        return
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "m.yaml"
        p.write_text(f"http:\n  per_host: 2\n  {key}: 1\n", encoding="utf-8")
        with pytest.raises(ConfigError) as ei:
            load_config(p)
    assert ei.value.line == 3 and ei.value.field == f"http.{key}"


# --- the docs check ---------------------------------------------------------------------------

_COMMENTED_KEY = re.compile(r"^(\s*)# (\s*(?:- )?[a-z_]+:(?:\s|$).*)$")
_KEY_LINE = re.compile(r"^\s*(?:#\s*)?(?:- )?([a-z_]+):(?:\s|$)")


def _switch_on_comments(text: str) -> str:
    return "\n".join(_COMMENTED_KEY.sub(r"\1\2", line) for line in text.splitlines())


def _model_paths(model: type[BaseModel], doc: Any, prefix: str = "") -> list[str]:
    """Dotted paths of model fields missing from ``doc``."""
    missing: list[str] = []
    for name, field in model.model_fields.items():
        path = f"{prefix}{name}"
        if not isinstance(doc, dict) or name not in doc:
            missing.append(path)
            continue
        ann = field.annotation
        if typing.get_origin(ann) is list:
            (item,) = typing.get_args(ann)
            if isinstance(item, type) and issubclass(item, BaseModel):
                merged: dict[str, Any] = {}
                for it in doc[name] or []:
                    merged.update(it)
                missing += _model_paths(item, merged, path + "[].")
            continue
        for a in typing.get_args(ann) or (ann,):
            if isinstance(a, type) and issubclass(a, BaseModel):
                missing += _model_paths(a, doc[name], path + ".")
    return missing


def test_every_config_key_is_documented_in_the_default_file() -> None:
    text = DEFAULT.read_text(encoding="utf-8")
    full = yaml.safe_load(_switch_on_comments(text))
    missing = _model_paths(MonitorConfig, full)
    assert not missing, f"keys of the config models not shown in {DEFAULT.name}: {missing}"
    MonitorConfig.model_validate(full)  # the commented examples are valid settings too

    lines = text.splitlines()
    undocumented = []
    for i, line in enumerate(lines):
        if not _KEY_LINE.match(line):
            continue
        body = line.split("#", 1)[1] if line.lstrip().startswith("#") else line
        has_trailing = " # " in body or "  #" in body
        prev = lines[i - 1].strip() if i else ""
        if not has_trailing and not prev.startswith("#"):
            undocumented.append(f"{DEFAULT.name}:{i + 1}: {line.strip()}")
    assert not undocumented, "keys without a comment:\n" + "\n".join(undocumented)


def test_docs_check_notices_a_missing_key() -> None:
    text = DEFAULT.read_text(encoding="utf-8")
    without = "\n".join(ln for ln in text.splitlines() if not ln.strip().startswith(("per_host:", "# per_host:")))
    assert "http.per_host" in _model_paths(MonitorConfig, yaml.safe_load(_switch_on_comments(without)))


def test_unknown_feed_timezone_is_an_error(tmp_path: Path) -> None:
    p = write(tmp_path, "feeds:\n  - id: a\n    url: https://a.example/rss\n    timezone: Europe/Berln\n")
    with pytest.raises(ConfigError, match=r":4: feeds\[0\]\.timezone: .*Europe/Berlin"):
        load_config(p)
