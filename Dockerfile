# Build once: the same steps as the README (npm ci, npm run build). The image runs the build
# directly (never `npm start`, which would check the sources on every start).
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build && npm prune --omit=dev

# Run: only the built output and production dependencies.
FROM node:20-bookworm-slim
WORKDIR /app
# V8's young generation capped at 4 MiB per semi-space (default 16): about 20 MiB less resident
# memory under load at no measurable forward-auth cost (docs/benchmarks.md, "Memory").
# Two glibc malloc arenas instead of up to 8 per core: each thread that allocates (V8's GC and
# compiler helpers, libuv's pool) gets an arena of its own, and an arena keeps memory freed into
# it: about 4 MiB less resident memory under forward load (docs/operations.md, "Memory").
ENV NODE_ENV=production \
    NODE_OPTIONS=--max-semi-space-size=4 \
    MALLOC_ARENA_MAX=2 \
    PASSKEY_AUTH_LISTEN=0.0.0.0:4401 \
    PASSKEY_AUTH_DB=/data/passkey-auth.sqlite
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# `passkey-auth` on the PATH, as the README calls it (docker run ... passkey-auth passkey-auth --help).
RUN chmod +x dist/server/main.js && ln -s /app/dist/server/main.js /usr/local/bin/passkey-auth \
 && mkdir -p /data && chown node:node /data
USER node
# The database lives here; back it up with `passkey-auth backup` (README, "Backup and restore"), never by copying the live file.
VOLUME ["/data"]
EXPOSE 4401
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:4401/auth/api/health').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM starts a clean shutdown (README, "Stopping"), finished within --shutdown-grace (8 s), inside `docker stop`'s 10 s.
STOPSIGNAL SIGTERM
CMD ["node", "dist/server/main.js"]
