# syntax=docker/dockerfile:1
# The ModelDeck dashboard (app, REST API, background workers). See docs/containers.md.
# Build from the repository root: docker build -t modeldeck .

FROM node:20-bookworm-slim AS build
WORKDIR /app
# onnxruntime-node's install script downloads GPU add-ons; the CPU binaries ship in the package.
ENV ONNXRUNTIME_NODE_INSTALL=skip \
    NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json .npmrc ./
# Scripts stay off until the sources are in: postinstall generates the Prisma client from them.
RUN npm ci --ignore-scripts
COPY . .
# The Prisma client (Wasm query compiler, no native engine) is generated, then the app is built.
RUN node lib/cli/modeldeck.mjs db generate \
 && node lib/cli/modeldeck.mjs build \
 && npm prune --omit=dev --ignore-scripts \
 && rm -rf .next/cache e2e test bench docs .data

FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    MODELDECK_DATA_DIR=/data
COPY --from=build --chown=node:node /app /app
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
VOLUME ["/data"]
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Migrations first (idempotent, serialised by the migration table), then the server as the
# main process so it receives SIGTERM directly.
CMD ["sh", "-c", "node lib/cli/modeldeck.mjs db migrate && exec node node_modules/next/dist/bin/next start --port \"$PORT\""]
