/**
 * The X emulator of bench/insights.ts, in a process of its own so that its world (tens of
 * thousands of accounts) is not counted in the reader's memory. Its clock is the reader's: the
 * parent sets it whenever the reader waits for a rate-limit reset.
 */
import { startXEmulator, type XEmulator } from '../test/emulators/x/server.js';
import { ManualClock } from '../test/support/manual-clock.js';

type Message =
  | { type: 'start'; followers: number; other: number; shared: number; limit: number; start: number }
  | { type: 'set'; at: number }
  | { type: 'stats' };

const clock = new ManualClock();
let emulator: XEmulator | undefined;

process.on('message', (message: Message) => {
  void (async () => {
    if (message.type === 'start') {
      clock.set(message.start);
      emulator = await startXEmulator({
        clock,
        limits: { 'GET /2/users/:id/followers': { app: message.limit } },
      });
      const world = emulator.world;
      const alpha = world.addUser({ username: 'alpha' });
      const beta = world.addUser({ username: 'beta' });
      const shared = world.addUsers(message.shared, 'both');
      let at = message.start - 10_000_000;
      for (const user of [...shared, ...world.addUsers(message.followers - message.shared, 'ona')])
        world.follow(user.id, alpha.id, at++);
      for (const user of [...shared, ...world.addUsers(message.other - message.shared, 'onb')])
        world.follow(user.id, beta.id, at++);
      process.send?.({ type: 'started', url: emulator.url, alpha: alpha.id, beta: beta.id });
    } else if (message.type === 'set') {
      clock.set(message.at);
      process.send?.({ type: 'set' });
    } else if (emulator) {
      process.send?.({
        type: 'stats',
        requests: emulator.requests('GET /2/users/:id/followers').length,
        billed: emulator.billing.day().readsByKind.user,
        returned: emulator.billing.usersReturned,
      });
    }
  })();
});
