# One image for every Settle app; SERVICE picks which one a container runs
# (customer-service, billing-service, incentive-service, invoice-service, marketplace-service,
# gateway, queue-dashboard) and the same image carries the operator CLI as `settle` on PATH
# (/usr/local/bin/settle -> apps/settle/bin/settle.js, e.g. `settle consumers lag`) and runs
# the migrations (`bash scripts/migrate.sh`). Apps run from TypeScript through @swc-node/register,
# exactly as on the no-Docker path, so there is one way to start a service.
# Node: the current LTS line in images; CI and development machines stay on Node 20.
FROM node:24-bookworm-slim

WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    SWC_NODE_PROJECT=/app/tsconfig.json

# Dependencies first, so a source change does not reinstall them.
COPY package.json package-lock.json .npmrc ./
COPY apps/settle/package.json apps/settle/package.json
RUN npm ci --no-audit --no-fund && npm cache clean --force

COPY tsconfig.json tsconfig.base.json ./
COPY libs libs
COPY apps apps
COPY scripts scripts

# billing-service's export files (a named volume in docker-compose inherits this ownership).
RUN mkdir -p /var/lib/settle/exports && chown node:node /var/lib/settle/exports

# The operator CLI as a binary on PATH: `settle <command>` in any container of the image
# (kubectl exec deploy/gateway -- settle ...). bin/settle.js has a node shebang and mode 755 in git.
RUN test -x /app/apps/settle/bin/settle.js \
    && ln -s /app/apps/settle/bin/settle.js /usr/local/bin/settle

USER node
ARG SERVICE=gateway
ENV SERVICE=${SERVICE}
# V8's old-space bound in MiB: the heap would otherwise grow lazily far past what a service uses
# (set it to about 60 % of the container's memory limit).
ENV SERVICE_HEAP_MB=256
# SIGTERM reaches node directly (exec form through sh -c exec), so graceful shutdown runs:
# consumers leave their group, the relay stops, in-flight jobs finish or return to the queue.
CMD ["sh", "-c", "exec node --max-old-space-size=${SERVICE_HEAP_MB} -r @swc-node/register apps/${SERVICE}/src/main.ts"]
