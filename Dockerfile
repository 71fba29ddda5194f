# Tiny Steps in a container: a slim Python, a non-root user, migrations applied at start.
# tests/test_dockerfile.py performs these install steps in a fresh virtualenv so they don't rot,
# and tests/deploy/test_lint.py runs hadolint over this file.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 10001 tinysteps

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY adapters ./adapters
COPY storage ./storage
COPY migrations ./migrations
RUN pip install .

# By number, so the runtime can tell it is not root without reading /etc/passwd.
USER 10001
WORKDIR /home/tinysteps
RUN mkdir -p /home/tinysteps/data
ENV DATABASE_URL=sqlite+aiosqlite:////home/tinysteps/data/tinysteps.db

EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:3000/healthz', timeout=2)"]
# On SIGTERM, serve stops taking work, finishes or hands back what is under way and exits
# within 10 s (Docker's default grace before SIGKILL). `exec` makes it PID 1, so it gets it.
STOPSIGNAL SIGTERM
CMD ["sh", "-c", "tinysteps db upgrade && exec tinysteps serve --host 0.0.0.0 --port 3000"]
