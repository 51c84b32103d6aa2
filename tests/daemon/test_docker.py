"""The container files, checked without a Docker engine: the Dockerfile's invariants, the compose
file's replicas, the HEALTHCHECK command run for real, and CI installing the package the same way.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import yaml

from monitor.web import Check, HealthServer
from tests.support.daemon_runner import free_port

REPO = Path(__file__).resolve().parents[2]


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined, comments dropped."""
    text = (REPO / "Dockerfile").read_text(encoding="utf-8")
    text = re.sub(r"\\\n", " ", text)
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        word, _, rest = line.partition(" ")
        out.append((word.upper(), rest.strip()))
    return out


def one(name: str) -> str:
    found = [a for w, a in instructions() if w == name]
    assert len(found) == 1, f"expected one {name}, found {found}"
    return found[0]


def env_of_image() -> dict[str, str]:
    env: dict[str, str] = {}
    for word, args in instructions():
        if word == "ENV":
            for tok in shlex.split(args):
                k, _, v = tok.partition("=")
                env[k] = v
    return env


def test_slim_python_base_and_a_non_root_user_after_the_install() -> None:
    ins = instructions()
    assert re.fullmatch(r"python:3\.1[1-9][\w.-]*-slim[\w.-]*", one("FROM")), one("FROM")
    user = one("USER")
    assert user not in ("root", "0") and not user.startswith("0:")
    words = [w for w, _ in ins]
    assert words.index("USER") > max(i for i, (w, a) in enumerate(ins) if w == "RUN")
    assert any(w == "RUN" and "useradd" in a and user in a for w, a in ins)


def test_cmd_is_exec_form_monitor_run_with_the_mounted_config() -> None:
    assert json.loads(one("CMD")) == ["monitor", "run", "--config", "/config/monitor.yaml"]
    assert not [a for w, a in instructions() if w == "ENTRYPOINT" and not a.startswith("[")]
    assert env_of_image()["MONITOR_CONFIG"] == "/config/monitor.yaml"
    assert any(w == "COPY" and a.split()[-1] == "/config" for w, a in instructions())


def test_data_volume_and_state_paths_inside_it() -> None:
    assert "/data" in json.loads(one("VOLUME"))
    env = env_of_image()
    assert env["MONITOR_DATABASE__URL"] == "sqlite:////data/monitor.db"
    assert env["MONITOR_ARCHIVE__DIR"].startswith("/data/")
    assert env["MONITOR_LOGGING__FORMAT"] == "json"


def healthcheck_command() -> list[str]:
    hc = one("HEALTHCHECK")
    cmd = hc[hc.index("CMD") + 3:].strip()
    parsed = json.loads(cmd)
    assert isinstance(parsed, list)
    return [str(x) for x in parsed]


def test_healthcheck_probes_healthz_with_python_alone_and_really_works() -> None:
    cmd = healthcheck_command()
    assert cmd[0] == "python" and "curl" not in " ".join(cmd) and "/healthz" in cmd[-1]
    port = free_port()
    env = {**os.environ, "MONITOR_SERVER__PORT": str(port)}
    runnable = [sys.executable, *cmd[1:]]
    assert subprocess.run(runnable, env=env, timeout=20, capture_output=True).returncode != 0  # nothing listens
    srv = HealthServer("127.0.0.1", port, lambda: {"db": Check(False, "down")}).start()
    try:
        # /healthz is liveness: healthy even while not ready.
        assert subprocess.run(runnable, env=env, timeout=20, capture_output=True).returncode == 0
    finally:
        srv.stop()


def test_the_images_settings_validate_with_the_shipped_config(tmp_path: Path) -> None:
    env = {**os.environ, **env_of_image(), "MONITOR_CONFIG": str(REPO / "config" / "monitor.yaml")}
    env["MONITOR_DATABASE__URL"] = f"sqlite:///{tmp_path}/monitor.db"  # /data does not exist here
    res = subprocess.run([sys.executable, "-m", "monitor.cli", "check-config"], env=env, capture_output=True,
                         text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    assert "config OK" in res.stdout


def pip_args(line: str) -> list[str] | None:
    """The arguments of a ``pip install`` in a shell line, quiet flags aside."""
    m = re.search(r"pip install ([^&;|]+)", line)
    if m is None:
        return None
    return [a for a in shlex.split(m.group(1)) if a not in ("-q", "--quiet", "-qq")]


def test_ci_installs_the_package_with_the_dockerfiles_pip_command() -> None:
    pip = [a for w, a in instructions() if w == "RUN" and "pip install" in a]
    assert len(pip) == 1
    wanted = pip_args(pip[0])
    assert wanted == ["--no-cache-dir", "."]  # the package itself, not editable, no extras
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert any(pip_args(line) == wanted for line in ci.splitlines()), \
        f".ci/run must install the package as the Dockerfile does: pip install {' '.join(wanted)}"


def test_dockerignore_keeps_local_state_and_secrets_out() -> None:
    ignored = {ln.strip() for ln in (REPO / ".dockerignore").read_text().splitlines()
               if ln.strip() and not ln.startswith("#")}
    for entry in (".git", ".venv", "data", ".env", "tests"):
        assert entry in ignored, entry


def test_compose_has_postgres_and_two_replicas_sharing_it() -> None:
    doc = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    services = doc["services"]
    assert "postgres" in services and services["postgres"]["image"].startswith("postgres:")
    replicas = {n: s for n, s in services.items() if s.get("build") == "."}
    assert len(replicas) >= 2
    for name, svc in replicas.items():
        env = svc["environment"]
        assert env["MONITOR_DATABASE__URL"].startswith("postgresql+psycopg://"), name
        assert "@postgres:5432/" in env["MONITOR_DATABASE__URL"]
        assert env["SLACK_BOT_TOKEN"].startswith("${SLACK_BOT_TOKEN"), "token only from the environment"
        assert any(v.endswith(":/config:ro") for v in svc["volumes"])
        assert svc["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert svc.get("stop_signal", "SIGTERM") == "SIGTERM"
    assert "xoxb-" not in (REPO / "docker-compose.yml").read_text().replace("xoxb-...", "")


def test_the_images_command_starts_healthy_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    """The container, minus Docker: CMD with the image's ENV, /config and /data mapped to folders."""
    import shutil
    import signal

    from tests.support.daemon_runner import wait_until

    config, data = tmp_path / "config", tmp_path / "data"
    shutil.copytree(REPO / "config", config)
    data.mkdir()
    cmd = json.loads(one("CMD"))
    env = {**os.environ, **{k: v.replace("/data", str(data)).replace("/config", str(config))
                            for k, v in env_of_image().items()}}
    port = free_port()
    env.update(MONITOR_SERVER__PORT=str(port), MONITOR_SERVER__HOST="127.0.0.1",
               MONITOR_FEEDS="[]")  # no real outlets from a test: loopback only
    argv = [str(Path(sys.executable).with_name(cmd[0])), *[a.replace("/config", str(config)) for a in cmd[1:]]]
    proc = subprocess.Popen(argv, env=env, cwd=data, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        probe = [sys.executable, *healthcheck_command()[1:]]
        wait_until(lambda: subprocess.run(probe, env=env, capture_output=True, timeout=20).returncode == 0, 60,
                   0.5, "the HEALTHCHECK to pass")
        assert (data / "monitor.db").exists()  # state went to the volume
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        _, err = proc.communicate(timeout=10)
    first = json.loads(err.splitlines()[0])  # JSON lines, as the image's ENV asks
    assert first["level"] == "info" and "replica" in first
