# syntax=docker/dockerfile:1
#
# coc-chatops, for running in a container (see README, "Running in production").
#
#   docker build -t coc-chatops .
#   docker run --init --env-file .env -p 3000:3000 -p 9464:9464 coc-chatops
#
# The image runs the bot's compiled build (plain JavaScript, bundled by esbuild in the build
# stage), not its TypeScript: only the production dependencies, the build and its launcher are
# in it. Secrets are never part of the image: they come from the environment (or a mounted
# configuration file) when the container starts.

# ---- dependencies: production packages only, from the lock file ----
# (No install scripts: none of the production packages has one, and the build is made below.)
FROM node:20-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# ---- build: every package (esbuild included) and the sources, bundled into dist/ ----
# `npm ci` builds through the package's "prepare" script (scripts/build.mjs); nothing is downloaded
# but the packages from the lock file.
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
COPY commands ./commands
RUN npm ci --no-audit --no-fund

# ---- runtime ----
FROM node:20-slim AS runtime
# A container has no terminal to talk to: Slack or Discord must be configured.
# MALLOC_ARENA_MAX: glibc's allocator keeps at most 2 arenas instead of 8 per core, each holding
# on to what the threads that used it freed (as `npm start` sets it): the tracker with 10,000
# live orders on PGlite peaked at 218-223 MB instead of 230-235 MB over three pairs of runs, CPU
# per round unchanged.
ENV NODE_ENV=production \
    MALLOC_ARENA_MAX=2 \
    COC_CHATOPS_SHELL=false \
    COC_OPS_HOST=0.0.0.0 \
    COC_OPS_PORT=9464
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY scripts ./scripts
COPY --from=build /app/dist ./dist
# The embedded store (PGlite) keeps its files here when no DATABASE_URL is set; mount a volume on it.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME ["/app/data"]

# The image's own unprivileged user (uid 1000), never root.
USER node

# 3000: Slack HTTP mode (/slack/events); 3001: Discord HTTP interactions (/discord/interactions);
# 9464: /metrics, /healthz, /readyz.
EXPOSE 3000 3001 9464

# Liveness: the process answers /healthz. (Readiness, /readyz, is for load balancers and orchestrators.)
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.COC_OPS_PORT || 9464) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# node itself, not npm, so that SIGTERM reaches the bot; run with --init (compose: init: true).
# The launcher runs the build in its own process (the image has no sources: it takes the build as
# it is). A young generation of at most 2 MB per half, as `npm start` runs it: V8 grows it up to
# 16 MB otherwise, ~15 MB more resident memory for a bot that is mostly idle. An old generation of
# at most 512 MB: below V8's large-heap threshold it lets the heap grow only to 1.3-1.4 times what
# survived the last full collection instead of up to 4 times (the tracker with 10,000 live orders
# on PGlite peaked at 229 MB instead of 311 MB, CPU per round unchanged; the bot's live heap is
# 45-85 MB, far from the bound).
CMD ["node", "--max-semi-space-size=2", "--max-old-space-size=512", "scripts/start.mjs", "main"]
