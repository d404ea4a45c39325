# syntax=docker/dockerfile:1
# The TURN image: Debian's coturn package (the one the tests run) with deploy/turn/.
#   docker build -f deploy/docker/turn.Dockerfile -t huijian/turn .
ARG DEBIAN_IMAGE=debian:bookworm-slim
FROM ${DEBIAN_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends coturn \
 && rm -rf /var/lib/apt/lists/*
COPY deploy/turn/turnserver.conf deploy/turn/start-turn.sh /etc/huijian/turn/
# The uid of `node` in the signaling image, so the TLS pair it creates (mode 600) is readable here.
USER 1000:1000
HEALTHCHECK --interval=15s --timeout=5s --start-period=10s --retries=3 \
  CMD ["turnutils_stunclient", "-p", "3478", "127.0.0.1"]
ENTRYPOINT ["/etc/huijian/turn/start-turn.sh"]
