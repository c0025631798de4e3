/**
 * `npm run playground`: the X emulator with its demo accounts, the Discord emulator, Flock wired
 * to both, and a page that looks like a Discord channel, all on 127.0.0.1 and offline. Prints the
 * page's address; SIGINT or SIGTERM closes everything and removes the temporary folder.
 */
import { Api } from './api.js';
import { Interactions } from './interactions.js';
import { MessageLog } from './message-log.js';
import { type PlaygroundOptions, readOptions, USAGE } from './options.js';
import { type PageServer, startPageServer } from './server.js';
import { type Stack, startStack } from './stack.js';

function fail(line: string): never {
  console.error(`The playground cannot start: ${line}`);
  process.exit(1);
}

let options: PlaygroundOptions;
try {
  options = readOptions(process.argv.slice(2), process.env);
} catch (error) {
  fail(`${(error as Error).message}.\n${USAGE}`);
}

/** Everything, started; a port in use ends the run with one line. */
async function startAll(): Promise<{ stack: Stack; page: PageServer; stopListening: () => void }> {
  const stack = await startStack({
    followers: options.followers,
    newFollowerEveryMs: options.newFollowerEvery * 1000,
    logLevel: options.logLevel,
  });
  const log = new MessageLog();
  // Alerts and notices reach channels through REST, not as answers to anything the page sent.
  const stopListening = stack.discord.onChannelMessage((message) => log.upsert(message));
  const interactions = new Interactions(
    stack.discord,
    log,
    stack.people.map((p) => p.user),
  );
  try {
    const page = await startPageServer({ port: options.port, api: new Api(stack, interactions), log });
    return { stack, page, stopListening };
  } catch (error) {
    await stack.close();
    if ((error as { code?: unknown }).code === 'EADDRINUSE')
      fail(`port ${options.port} is already in use: pass another with --port (0 picks a free one).`);
    throw error;
  }
}

// Listening for signals before anything starts: a Ctrl-C during start-up still cleans up.
const starting = startAll();
let stopping = false;
async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  const started = await starting.catch(() => undefined);
  if (started) {
    started.stopListening();
    await started.page.close();
    await started.stack.close();
  }
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());

const { page } = await starting;
process.stdout.write(`Flock playground: ${page.url} (Ctrl-C stops it)\n`);
