# syntax=docker/dockerfile:1
# The signaling image: Express + Socket.IO, serving the built browser clients.
# Build from the repository root (docker-compose.yml does):
#   docker build -f deploy/docker/signaling.Dockerfile -t huijian/signaling .
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS clients
WORKDIR /src
COPY package.json package-lock.json .npmrc ./
COPY sfu-server/package.json sfu-server/
COPY signaling/package.json signaling/
COPY clients/package.json clients/
RUN MEDIASOUP_WORKER_BIN=/unused npm ci --no-audit --no-fund
# The client bundles' inputs: the same set deploy/setup.sh hashes.
COPY tsconfig.base.json ./
COPY clients/ clients/
COPY signaling/src/protocol/ signaling/src/protocol/
COPY sfu-server/src/control/ sfu-server/src/control/
RUN npx vite build -c clients/vite.config.ts

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY sfu-server/package.json sfu-server/
COPY signaling/package.json signaling/
COPY clients/package.json clients/
# Production dependencies of signaling (its contract dependency on sfu-server included) and tsx.
RUN MEDIASOUP_WORKER_BIN=/unused \
    npm ci --omit=dev --workspace=signaling --include-workspace-root --no-audit --no-fund \
 && rm -rf node_modules/mediasoup/worker \
 && npm cache clean --force

FROM ${NODE_IMAGE}
# openssl: the self-signed certificate for a first try (TLS_SELF_SIGNED).
RUN apt-get update \
 && apt-get install -y --no-install-recommends openssl \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=deps /app/node_modules node_modules
COPY package.json ./
COPY sfu-server/package.json sfu-server/
COPY sfu-server/src/control/ sfu-server/src/control/
COPY signaling/package.json signaling/
COPY signaling/src/ signaling/src/
COPY --from=clients /src/clients/dist/ clients/dist/
COPY deploy/docker/signaling-healthcheck.mjs deploy/docker/
# /data: token signing keys and the TLS pair (volumes in docker-compose.yml), owned by `node`.
RUN mkdir -p /data/keys /data/tls && chown -R node:node /data
ENV NODE_ENV=production \
    SIGNALING_HOST=0.0.0.0 \
    SIGNALING_PORT=8443 \
    TOKEN_KEYS_DIR=/data/keys
USER node
EXPOSE 8443
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "deploy/docker/signaling-healthcheck.mjs"]
# SIGTERM reaches node directly (exec form): signaling drains (see signaling/src/shutdown.ts).
STOPSIGNAL SIGTERM
CMD ["node", "--import", "tsx", "signaling/src/main.ts"]
