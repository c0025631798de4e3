/**
 * Demo accounts for trying Flock without X: a popular account with a few thousand followers,
 * a protected one, a suspended one, and a stream of new followers if asked for.
 */
import type { XEmulator } from './server.js';
import type { EmuUser } from './world.js';

const FIRST = [
  'Ada',
  'Grace',
  'Alan',
  'Linus',
  'Margaret',
  'Ken',
  'Barbara',
  'Dennis',
  'Radia',
  'Guido',
  'Frances',
  'Bjarne',
];
const LAST = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Torvalds',
  'Hamilton',
  'Thompson',
  'Liskov',
  'Ritchie',
  'Perlman',
  'Rossum',
];

export function seedDemo(emulator: XEmulator, followers = 2345): { star: EmuUser; fans: EmuUser[] } {
  const world = emulator.world;
  const star = world.addUser({
    id: '1589631548921098240',
    username: 'flockdemo',
    name: 'Flock Demo',
    description: 'A demo account on the X emulator. Try /followers flockdemo.',
    verified: true,
    verifiedType: 'blue',
    tweetCount: 4821,
    listedCount: 37,
    location: 'localhost',
  });
  const fans = Array.from({ length: followers }, (_, n) =>
    world.addUser({
      username: `demo_fan_${n}`,
      name: `${FIRST[n % FIRST.length]} ${LAST[(n * 7) % LAST.length]}`,
      description: `Demo follower number ${n}.`,
      verified: n % 17 === 0,
      protected: n % 23 === 0,
      tweetCount: (n * 37) % 5000,
    }),
  );
  const start = Date.parse('2024-01-01T00:00:00Z');
  for (const [n, fan] of fans.entries()) world.follow(fan.id, star.id, start + n * 3_600_000);
  for (const fan of fans.slice(0, 25)) world.follow(star.id, fan.id, start);
  const locked = world.addUser({ username: 'locked_lena', name: 'Lena (protected)', protected: true });
  for (const fan of fans.slice(0, 10)) world.follow(fan.id, locked.id, start);
  world.addUser({ username: 'suspended_sam', name: 'Sam', state: 'suspended' });
  // The signed-in demo user mutes and blocks a few accounts, so that /mutes and /blocks show something.
  const me = fans[0];
  if (me) {
    for (const fan of fans.slice(30, 42)) world.mutes.add(me.id, fan.id, start);
    for (const fan of fans.slice(42, 45)) world.block(me.id, fan.id, start);
  }
  emulator.signedInUserId = me?.id;
  return { star, fans };
}

/**
 * A new account follows `star` every `everyMs` (real time) until the returned function is
 * called: followers lists grow, and Activity API subscribers get a follow.follow event each time.
 */
export function startNewFollowers(emulator: XEmulator, star: EmuUser, everyMs: number): () => void {
  let n = 0;
  const timer = setInterval(() => {
    const fan = emulator.world.addUser({ username: `newfan_${n}`, name: `New Fan ${n}` });
    emulator.world.follow(fan.id, star.id);
    n += 1;
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
