import { createClient } from '@redis/client';
import { describe, expect, it } from 'vitest';
import { claimRedisDb, redisUrl } from '../support/redis.js';

describe('the test run’s Redis', () => {
  it('answers PING', async () => {
    const client = createClient({ url: redisUrl() });
    client.on('error', () => undefined);
    await client.connect();
    try {
      expect(await client.ping()).toBe('PONG');
    } finally {
      await client.close();
    }
  });

  it('hands each claimer a database of its own, and empties it on release', async () => {
    const [one, two] = await Promise.all([claimRedisDb(), claimRedisDb()]);
    expect(one.db).not.toBe(two.db);
    expect([one.db, two.db].every((db) => db >= 1 && db <= 15)).toBe(true);
    const client = createClient({ url: one.url });
    client.on('error', () => undefined);
    await client.connect();
    try {
      await client.set('mine', '1');
      await two.release();
      expect(await client.get('mine')).toBe('1');
      await one.release();
      expect(await client.dbSize()).toBe(0);
    } finally {
      await client.close();
    }
  });
});
