# The web service in an image: `docker build -t advisories .`, `docker run -p 8000:8000
# advisories`; docs/deploy.md says how to run it behind a proxy, with several replicas.
#
# Two stages: the compiler and libyaml's headers build the loader's C extension
# (advisories/load/_quickyaml.c) and stay behind; the image keeps the virtual environment
# and the shared libraries it runs on.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
# libc6-dev is only recommended by gcc, so named. This image's Python carries its own headers:
# Debian's python3-dev (in the Makefile) is for Debian's Python, which the venv does not use.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        gcc libc6-dev libyaml-dev \
    && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
COPY pyproject.toml README.md ./
COPY advisories advisories
COPY rules rules
COPY templates templates
# Not editable: the wheel carries the rules and templates, so nothing here needs /src. The
# extension is optional to setuptools, which would skip it quietly: importing it (from the
# venv: -P leaves ./advisories off the path) says it built.
RUN pip install --no-cache-dir . \
    && python -P -c "import advisories.load._quickyaml"

FROM ${PYTHON_IMAGE}
# At run time: libyaml for the extension; Pango, HarfBuzz's subsetter and the fonts the
# briefing names, for WeasyPrint's PDFs. poppler-utils is for the tests, so not here.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libyaml-0-2 libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
        fonts-dejavu-core fonts-noto-core \
    && rm -rf /var/lib/apt/lists/*
# A fixed id, so that ownership of mounted folders can be planned for.
RUN useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin advisories
COPY --from=build /opt/venv /opt/venv
# The compiled cache: a folder of the service's user that no one else may write, as the
# cache demands before it reads an entry (advisories/load/store/cache.py).
ENV PATH=/opt/venv/bin:$PATH \
    ADVISORIES_CACHE=/var/cache/advisories
RUN install -d -o advisories -g advisories -m 700 /var/cache/advisories
# ./rules is the tree `advisory serve` answers from when given no --rules: baked in here
# (root's, so read-only to the service), or replaced by a volume mounted over it.
WORKDIR /srv/advisories
COPY rules rules
USER advisories
# The cache of the baked-in rules, built once here. Rules from a volume are compiled when
# the container starts, by `advisory serve` itself before its workers start, and they read it.
RUN python -c "import advisories.load._quickyaml" && advisory validate

EXPOSE 8000
# No curl in the image: Python asks, and any answer but 200 (or none) is unhealthy.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/api/v1/health', timeout=4)"]
CMD ["advisory", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
