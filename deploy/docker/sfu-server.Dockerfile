# syntax=docker/dockerfile:1
# The sfu-server image. Build from the repository root (docker-compose.yml does):
#   docker build -f deploy/docker/sfu-server.Dockerfile -t huijian/sfu-server .
# Stage `worker` builds mediasoup-worker with deploy/worker/build-worker.sh, exactly as
# `npm start` does on a Debian host: from the mediasoup tarball pinned in package-lock.json
# (sha512-checked) and Debian packages, with the project's patches. Nothing comes from GitHub.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS worker
# Compiler processes in parallel (about 0.5 GB of memory each); default: one per CPU.
ARG WORKER_BUILD_JOBS=
WORKDIR /src
COPY package.json package-lock.json .npmrc ./
COPY deploy/worker/ deploy/worker/
COPY deploy/docker/worker-runtime-packages.sh deploy/docker/
# The script installs the Debian packages it needs; --from-registry takes the sources from
# `npm pack` (there is no node_modules in this stage).
RUN HUIJIAN_CACHE_DIR=/cache bash deploy/worker/build-worker.sh --from-registry --jobs "${WORKER_BUILD_JOBS:-$(nproc)}" \
 && mkdir -p /out \
 && cp -L var/bin/mediasoup-worker /out/mediasoup-worker \
 && cp "$(dirname "$(readlink -f var/bin/mediasoup-worker)")/BUILD-INFO" /out/BUILD-INFO \
 && bash deploy/docker/worker-runtime-packages.sh /out/mediasoup-worker > /out/runtime-packages \
 && cat /out/runtime-packages

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY sfu-server/package.json sfu-server/
COPY signaling/package.json signaling/
COPY clients/package.json clients/
# Production dependencies of sfu-server, plus tsx (root dependency) that runs the TypeScript.
# .npmrc keeps install scripts off; with MEDIASOUP_WORKER_BIN set mediasoup skips its worker step.
# mediasoup's C++ sources are not needed at run time.
RUN MEDIASOUP_WORKER_BIN=/usr/local/bin/mediasoup-worker \
    npm ci --omit=dev --workspace=sfu-server --include-workspace-root --no-audit --no-fund \
 && rm -rf node_modules/mediasoup/worker \
 && npm cache clean --force

FROM ${NODE_IMAGE}
# The shared libraries the worker links (libuv1, libssl3, libsrtp2-1, libabsl*, ... as ldd
# resolved them in the build stage), from the same Debian release, so apt keeps them patched.
COPY --from=worker /out/runtime-packages /tmp/runtime-packages
RUN apt-get update \
 && xargs -a /tmp/runtime-packages apt-get install -y --no-install-recommends \
 && rm -rf /var/lib/apt/lists/* /tmp/runtime-packages
COPY --from=worker /out/mediasoup-worker /usr/local/bin/mediasoup-worker
COPY --from=worker /out/BUILD-INFO /usr/local/share/huijian/mediasoup-worker.BUILD-INFO
RUN if ldd /usr/local/bin/mediasoup-worker | grep 'not found'; then echo 'mediasoup-worker: unresolved libraries' >&2; exit 1; fi

WORKDIR /app
COPY --from=deps /app/node_modules node_modules
COPY package.json ./
COPY sfu-server/package.json sfu-server/
COPY sfu-server/src sfu-server/src
COPY deploy/docker/sfu-healthcheck.mjs deploy/docker/
ENV MEDIASOUP_WORKER_BIN=/usr/local/bin/mediasoup-worker \
    SFU_LISTEN_IP=0.0.0.0
USER node
# Healthy = this node's heartbeat is fresh in Redis (what signaling's placement looks at).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "deploy/docker/sfu-healthcheck.mjs"]
# SIGTERM reaches node directly (exec form): the sfu-server drains and exits.
STOPSIGNAL SIGTERM
CMD ["node", "--import", "tsx", "sfu-server/src/main.ts"]
