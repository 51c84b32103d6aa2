"""Hot reload in a running ``monitor run``: a valid edit applies without a restart, an invalid one
keeps the running config, logs file:line and the fix, and posts an ops alert to the ops channel."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import yaml

from tests.support.daemon_runner import TOPICS, Daemon, free_port, wait_until, write_config
from tests.support.feed_server import FeedServer
from tests.support.slack_standin import TOKEN, SlackStandin


def rss(srv: FeedServer, name: str) -> bytes:
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{name}</title><link>{srv.url("/")}</link>'
            f"<description>d</description><item><title>{name}</title><link>{srv.url(f'/{name}.html')}</link>"
            f"<guid>{name}-0</guid><pubDate>Sat, 16 Aug 2025 10:00:00 +0200</pubDate>"
            f"<description>Meldung aus {name}.</description></item></channel></rss>").encode()


def rewrite(path: Path, change: dict[str, object]) -> None:
    doc = yaml.safe_load(path.read_text())
    doc.update(change)
    st = path.stat()
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))  # coarse mtime clocks


def test_valid_change_applies_invalid_change_is_rejected_with_an_ops_alert(tmp_path: Path) -> None:
    topics = tmp_path / "topics"
    shutil.copytree(TOPICS, topics)
    db = f"sqlite:///{tmp_path / 'monitor.db'}"
    with FeedServer() as srv, SlackStandin() as slack:
        one = {"id": "one", "url": srv.route("/one.xml", body=rss(srv, "one")), "interval": 30, "full_text": False}
        two = {"id": "two", "url": srv.route("/two.xml", body=rss(srv, "two")), "interval": 30, "full_text": False}
        port = free_port()
        cfg = write_config(tmp_path / "monitor.yaml", db_url=db, feeds=[one], port=port, topics_dir=topics,
                           extra={"slack": {"base_url": slack.base_url, "default_channel": "C0FRONT",
                                            "ops_channel": "C0OPS"}})
        d = Daemon(cfg, port, env={"SLACK_BOT_TOKEN": TOKEN}).wait_ready()
        try:
            wait_until(lambda: bool(srv.requests_for("/one.xml")), 20, what="feed one polled")
            assert not srv.requests_for("/two.xml")

            # valid: a second feed, picked up by the same process
            rewrite(cfg, {"feeds": [one, two]})
            wait_until(lambda: bool(srv.requests_for("/two.xml")), 20, what="the new feed to be polled")
            assert d.proc.poll() is None
            assert any("config change applied" in r.get("msg", "") for r in d.log_records())

            # invalid monitor.yaml: an interval below the minimum
            rewrite(cfg, {"feeds": [one, {**two, "interval": 5}]})
            wait_until(lambda: any("rejected" in r.get("msg", "") for r in d.log_records()), 20,
                       what="the rejection in the log")
            rejected = next(r for r in d.log_records() if "rejected" in r.get("msg", ""))
            assert rejected["level"] == "error"
            lines = cfg.read_text().splitlines()
            line = next(i for i, t in enumerate(lines, 1) if "interval: 5" in t)
            assert f"{cfg}:{line}:" in rejected["msg"] and "fix:" in rejected["msg"]
            wait_until(lambda: bool(slack.in_channel("C0OPS")), 20, what="the ops alert")
            ops = slack.in_channel("C0OPS")
            assert len(ops) == 1 and f"{cfg.name}:{line}" in ops[0].all_text()
            assert d.ready() and d.proc.poll() is None  # still running on the previous config

            # fixed again; then an invalid topic file: same treatment, the running topics stay
            applied = sum("config change applied" in r.get("msg", "") for r in d.log_records())
            rewrite(cfg, {"feeds": [one, two]})
            wait_until(lambda: sum("config change applied" in r.get("msg", "") for r in d.log_records()) > applied,
                       20, what="the repaired config to apply")
            topic = sorted(topics.glob("*.yaml"))[0]
            st = topic.stat()
            topic.write_text(topic.read_text(encoding="utf-8") + "\nnot_a_topic_key: 1\n", encoding="utf-8")
            os.utime(topic, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))
            wait_until(lambda: len(slack.in_channel("C0OPS")) == 2, 20, what="the second ops alert")
            assert topic.name in slack.in_channel("C0OPS")[1].all_text()
            assert d.ready()
        finally:
            assert d.stop() == 0
