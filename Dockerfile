# syntax=docker/dockerfile:1
#
# coc-chatops, for running in a container (see README, "Running in production").
#
#   docker build -t coc-chatops .
#   docker run --init --env-file .env -p 3000:3000 -p 9464:9464 coc-chatops
#
# The bot runs its TypeScript through tsx (a runtime dependency), so the image needs no build
# step: only the production dependencies and the sources. Secrets are never part of the image:
# they come from the environment (or a mounted configuration file) when the container starts.

# ---- dependencies: production packages only, from the lock file ----
FROM node:20-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# ---- runtime ----
FROM node:20-slim AS runtime
# A container has no terminal to talk to: Slack or Discord must be configured.
ENV NODE_ENV=production \
    COC_CHATOPS_SHELL=false \
    COC_OPS_HOST=0.0.0.0 \
    COC_OPS_PORT=9464
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY src ./src
COPY commands ./commands
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
CMD ["node", "--import", "tsx", "src/main.ts"]
