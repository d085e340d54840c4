# graphbrm: the API, the web UI and the embedded graph store in one image.
#   docker build -t graphbrm .
#   docker run --init -p 127.0.0.1:8000:8000 -v graphbrm-data:/data graphbrm
# The embedded store keeps its files in the /data volume; GRAPHBRM_STORE=bolt://… points the
# same image at Neo4j instead (docker-compose.yml). GRAPHBRM_DEMO=true seeds the demo company
# into an empty store on start.

# Build the wheel from the source tree: queries, UI and seed generator ship inside it.
FROM python:3.11-slim AS build
WORKDIR /src
COPY . .
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

FROM python:3.11-slim
# The embedded store's FalkorDB module links against OpenMP and the C++ runtime, which the
# slim image lacks. Unpinned: the base image fixes the Debian release, whose security updates
# these track.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libgomp1 libstdc++6 \
    && rm -rf /var/lib/apt/lists/*

# The package and its dependencies, installed at build time: nothing is fetched on start.
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/graphbrm-*.whl && rm -rf /wheels

RUN useradd --system --uid 10001 --user-group --home-dir /data --no-create-home graphbrm \
    && mkdir /data && chown graphbrm:graphbrm /data && chmod 0700 /data
USER 10001:10001
WORKDIR /data

ENV GRAPHBRM_DATA_DIR=/data \
    GRAPHBRM_DEMO=false \
    PYTHONUNBUFFERED=1
VOLUME ["/data"]
EXPOSE 8000

# /healthz needs no sign-in and answers only when the store does. The image has no curl.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

# Inside the container the API listens on every interface; publish the port on the host's
# loopback (as docker-compose.yml does) or behind a TLS proxy.
CMD ["graphbrm", "up", "--host", "0.0.0.0", "--port", "8000"]
