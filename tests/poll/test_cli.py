"""The commands as operators run them: ``monitor poll --once`` (twice, as separate processes),
``monitor articles`` and ``monitor normalize``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.support.feed_server import REALDATA, FeedServer

REPO = Path(__file__).resolve().parents[2]
SEED = (REPO / ".." / "shared" / "seeds" / "000_eb101e659e277c36.txt").resolve()


def monitor(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("MONITOR_")}
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "monitor.cli", *args], cwd=cwd, env=full_env,
                          capture_output=True, timeout=120)


def write_config(tmp_path: Path, db_url: str, feeds: dict[str, str]) -> Path:
    lines = [f'database:\n  url: "{db_url}"', f'archive:\n  dir: "{tmp_path / "archive"}"',
             "http:\n  allow_private: true\n  read_timeout: 2.0", f'topics_dir: "{REPO / "config" / "topics"}"',
             "feeds:" if feeds else "feeds: []"]
    for fid, url in feeds.items():
        lines.append(f'  - id: {fid}\n    url: "{url}"\n    full_text: false')
    p = tmp_path / "monitor.yaml"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def test_poll_once_twice_in_separate_processes_does_not_duplicate(db_url: str, server: FeedServer,
                                                                  tmp_path: Path) -> None:
    ts = server.route("/ts.xml", file=REALDATA / "feeds" / "de_tagesschau_alle-meldungen_2024-12-21.xml")
    sp = server.route("/sp.xml", file=REALDATA / "feeds" / "de_spiegel_schlagzeilen_2024-12-21.xml",
                      etag='"sp1"')
    cfg = write_config(tmp_path, db_url, {"ts": ts, "sp": sp, "broken": server.url("/gone.xml")})

    first = monitor("poll", "--once", "--config", str(cfg), cwd=tmp_path)
    out = first.stdout.decode()
    assert first.returncode == 0, first.stderr.decode()
    assert "2 ok, 0 not modified, 1 errors; 70 new items, 70 new versions" in out
    assert "broken: FetchStatusError" in out and "HTTP 404" in out
    assert "[3/3]" in first.stderr.decode()  # progress on stderr

    second = monitor("poll", "--once", "--config", str(cfg), "--format", "json", cwd=tmp_path)
    assert second.returncode == 0, second.stderr.decode()
    summary = json.loads(second.stdout)
    assert summary["new_items"] == 0 and summary["new_versions"] == 0
    assert summary["not_modified"] == 1 and summary["ok"] == 1 and summary["errors"] == 1

    listed = monitor("articles", "--config", str(cfg), "--format", "jsonl", cwd=tmp_path)
    rows = [json.loads(line) for line in listed.stdout.decode().splitlines()]
    assert len(rows) == 70 and len({r["id"] for r in rows}) == 70
    assert {r["feed"] for r in rows} == {"ts", "sp"} and all(r["version"] == 1 for r in rows)
    assert all(r["baseline"] for r in rows)
    only_sp = monitor("articles", "--config", str(cfg), "--feed", "sp", "--format", "jsonl", cwd=tmp_path)
    assert len(only_sp.stdout.decode().splitlines()) == 30
    since = monitor("articles", "--config", str(cfg), "--since", "2024-12-21", cwd=tmp_path)
    assert since.returncode == 0 and "articles" in since.stdout.decode().splitlines()[-1]
    assert len(list((tmp_path / "archive").iterdir())) == 70

    # The new versions went through the pipeline in the poll's transaction: every version is
    # extracted, and a baseline raises no alert (neither does the second run).
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from monitor.store.engine import make_engine
    from monitor.store.tables import AlertRow, ArticleVersion

    engine = make_engine(db_url)
    try:
        with Session(engine) as s:
            assert s.scalar(select(func.count()).where(ArticleVersion.extracted.is_(False))) == 0
            assert s.scalar(select(func.count()).select_from(AlertRow)) == 0
    finally:
        engine.dispose()


def test_normalize_returns_a_dated_article_unchanged(tmp_path: Path) -> None:
    res = monitor("normalize", str(SEED), cwd=tmp_path)
    assert res.returncode == 0 and res.stdout == SEED.read_bytes()


def test_normalize_extracts_an_html_page(tmp_path: Path) -> None:
    page = REALDATA / "html" / "trafilatura" / "www1.wdr.de-Correctiv-Recherche.html"
    res = monitor("normalize", str(page), cwd=tmp_path)
    text = res.stdout.decode()
    assert res.returncode == 0 and text.startswith(" date 2023-11-07 Correctiv-Recherche: Deutsche Waffen")
    assert "<" not in text and not text.endswith("\n")


def test_normalize_a_feed_url_gives_each_item(server: FeedServer, tmp_path: Path) -> None:
    url = server.route("/ts.xml", file=REALDATA / "feeds" / "de_tagesschau_alle-meldungen_2024-12-21.xml")
    cfg = write_config(tmp_path, f"sqlite:///{tmp_path / 'x.db'}", {})
    res = monitor("normalize", url, "--config", str(cfg), "--format", "jsonl", cwd=tmp_path)
    assert res.returncode == 0, res.stderr.decode()
    items = [json.loads(line) for line in res.stdout.decode().splitlines()]
    assert len(items) == 40 and all(i["text"].startswith(" date 2024-12-2") for i in items)
    out = tmp_path / "out"
    res = monitor("normalize", url, "--config", str(cfg), "--out", str(out), cwd=tmp_path)
    assert res.returncode == 0 and len(list(out.glob("0*_*.txt"))) == 40


def test_normalize_refuses_loopback_urls_by_default(server: FeedServer, tmp_path: Path) -> None:
    url = server.route("/ts.xml", file=REALDATA / "feeds" / "de_tagesschau_alle-meldungen_2024-12-21.xml")
    res = monitor("normalize", url, cwd=tmp_path)
    assert res.returncode == 1 and b"allow_private" in res.stderr
    assert server.requests_for("/ts.xml") == []
