# The redis-pool CLI as an image: the packed tarball installed globally, with the same `npm install -g` step that
# test/integration/package.test.ts runs on it. Build it from the tarball, not from the sources:
#   npm ci && npm pack && docker build -t redis-pool:0.1.0 .
# (.dockerignore sends nothing else.) The image has no redis-server: give bench a target with --url or REDIS_URL.
# How to push it and run it in Kubernetes or GitHub Actions: docs/scale-out.md.
FROM node:20-bookworm-slim

LABEL org.opencontainers.image.title="redis-pool" \
      org.opencontainers.image.source="https://github.com/redis-pool/redis-pool" \
      org.opencontainers.image.licenses="MIT"

COPY redis-pool-*.tgz /tmp/
RUN set -eu; \
    set -- /tmp/redis-pool-*.tgz; \
    if [ "$#" -ne 1 ]; then echo "expected one redis-pool-*.tgz in the build context, found: $*" >&2; exit 1; fi; \
    npm install -g --no-audit --no-fund "$1"; \
    rm -f "$1"; \
    npm cache clean --force; \
    redis-pool --version

# node:20 images come with an unprivileged user, node (uid 1000): run as that, never as root.
USER node
WORKDIR /home/node

ENTRYPOINT ["redis-pool"]
CMD ["--help"]
