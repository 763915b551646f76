# syntax=docker/dockerfile:1
# The reference model server (Open Inference Protocol v2 over onnxruntime-node).
# Build from the repository root: docker build -f deploy/model-server.Dockerfile -t modeldeck-model-server .

FROM node:20-bookworm-slim AS deps
WORKDIR /app
ENV ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json .npmrc ./
RUN npm ci --ignore-scripts --omit=dev

FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    MODEL_SERVER_HOST=0.0.0.0 \
    MODEL_SERVER_PORT=8090 \
    MODEL_SERVER_STATE_DIR=/state
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --chown=node:node package.json ./
COPY --chown=node:node serving ./serving
RUN mkdir -p /state && chown node:node /state
USER node
EXPOSE 8090
VOLUME ["/state"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.MODEL_SERVER_PORT + '/v2/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["npm", "run", "serve"]
