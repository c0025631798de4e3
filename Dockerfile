# Flock as a container (compose.yaml runs three of these on one Redis).
# The full Debian image has python3, make and g++, which sqlite3 needs to build on install.
FROM node:22-bookworm
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY commands ./commands
COPY src ./src
COPY tsconfig.json ./
RUN mkdir -p data && chown node:node data
USER node
EXPOSE 3000
CMD ["node", "--import", "tsx", "src/index.ts"]
