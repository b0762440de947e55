# syntax=docker/dockerfile:1
# TicketClub: the web app built with vite, served with the API by Node 20 (tsx runs the TypeScript
# server as is, as `npm start` does). docs/deploy.md explains the configuration.
ARG NODE_VERSION=20

# 1. The web app (needs the dev dependencies: vite and its React plugin).
FROM node:${NODE_VERSION}-bookworm-slim AS web
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json vite.config.ts ./
COPY src/shared ./src/shared
COPY src/web ./src/web
RUN npm run build:web

# 2. Production dependencies only (tsx is one of them).
FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# 3. The runtime image.
FROM node:${NODE_VERSION}-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    DATA_DIR=/app/data \
    WEB_DIST=/app/dist/web
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY migrations ./migrations
COPY src/shared ./src/shared
COPY src/server ./src/server
COPY --from=web /app/dist/web ./dist/web
# The embedded database (no DATABASE_URL) lives in DATA_DIR: mount a volume there to keep it.
RUN mkdir -p /app/data && chown node:node /app/data
# The image's unprivileged user (uid 1000).
USER node
EXPOSE 3000
# No curl in the slim image: Node's fetch. In cluster mode (WORKERS > 1) the primary answers
# only once a worker is ready.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node itself is PID 1 (not npm), so SIGTERM from `docker stop` reaches the server's graceful shutdown.
STOPSIGNAL SIGTERM
CMD ["node", "--import", "tsx", "src/server/main.ts"]
