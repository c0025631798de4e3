# Flock as a container, one node process running the built JavaScript (compose.yaml runs three
# of these on one Redis). The full Debian image has python3, make and g++, which sqlite3 needs to
# build on install.
FROM node:22-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY commands ./commands
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir -p data && chown node:node data
USER node
EXPOSE 3000
# Flock stops cleanly on SIGTERM (docker stop); no shell or npm in between to swallow it. The heap
# cap keeps memory flat, and the young generation's cap keeps it from marking the whole heap over
# and over under that cap on Node 24 (see "Starting it" in the README). npm start runs the same.
CMD ["node", "--max-old-space-size=96", "--max-semi-space-size=16", "dist/src/index.js"]
