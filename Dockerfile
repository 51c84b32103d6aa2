# newswatch: `monitor run` in a container.
#   docker build -t newswatch .
#   docker run -v "$PWD/config:/config:ro" -v newswatch-data:/data -e SLACK_BOT_TOKEN newswatch
# Configuration is mounted at /config (monitor.yaml and topics/); state lives in the /data volume
# (SQLite database and article archive) unless MONITOR_DATABASE__URL points at PostgreSQL.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /src
COPY pyproject.toml README.md ./
COPY monitor ./monitor
COPY alerts ./alerts
# The same command CI runs (.ci/run), so a packaging mistake (missing data file) fails CI too.
RUN pip install --no-cache-dir . \
    && rm -rf /src

# The shipped configuration as a default; an operator mounts their own over it.
COPY config /config

RUN useradd --system --uid 10001 --user-group --home-dir /data --shell /usr/sbin/nologin monitor \
    && mkdir -p /data \
    && chown monitor:monitor /data

# Paths inside the container; every other setting comes from /config/monitor.yaml or MONITOR_* variables.
ENV MONITOR_CONFIG=/config/monitor.yaml \
    MONITOR_DATABASE__URL=sqlite:////data/monitor.db \
    MONITOR_ARCHIVE__DIR=/data/archive \
    MONITOR_SERVER__HOST=0.0.0.0 \
    MONITOR_SERVER__PORT=8080 \
    MONITOR_LOGGING__FORMAT=json

VOLUME ["/data"]
WORKDIR /data
USER monitor
EXPOSE 8080

# No curl in a slim image: the interpreter fetches /healthz itself.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('MONITOR_SERVER__PORT', '8080') + '/healthz', timeout=4)"]

# Exec form: `monitor` is PID 1 and receives SIGTERM itself (a shell would swallow it), so
# `docker stop` lets in-flight work finish and the leases go back within 10 seconds.
STOPSIGNAL SIGTERM
CMD ["monitor", "run", "--config", "/config/monitor.yaml"]
