/**
 * Which language an alert is written in when the gateway has not said the server's (a process
 * without the server's shard): the locale Discord sent when the alert was added, else English.
 */
import { describe, expect, it } from 'vitest';
import { entriesFor } from '../../src/alerts/alert-entries.js';
import type { KeyedEvent } from '../../src/alerts/events.js';
import type { Subscription } from '../../src/alerts/subscriptions.js';
import { textDisplays } from '../support/v2-message.js';

const subscription = (locale: string | undefined): Subscription => ({
  guildId: '100000000000000001',
  channelId: '100000000000000002',
  account: { id: '1', username: 'star', name: 'Star' },
  events: 'new',
  roleId: undefined,
  minFollowers: 0,
  createdBy: '100000000000000003',
  createdAt: 0,
  paused: undefined,
  ...(locale ? { locale } : {}),
});

const fan: KeyedEvent = {
  kind: 'new',
  key: 'k1',
  user: {
    id: '2',
    username: 'fan',
    name: 'Fan',
    public_metrics: { followers_count: 1_234, following_count: 0, tweet_count: 0, listed_count: 0 },
  },
};

/** The head and the entry of the one alert `entriesFor` makes. */
function written(s: Subscription, gateway: (guildId: string) => string | undefined): string[] {
  const [entry] = entriesFor([s], [fan], 0, gateway);
  if (!entry?.message.components) throw new Error('no alert');
  return textDisplays({ components: entry.message.components });
}

describe('the language of an alert', () => {
  it('is the server’s as the gateway says it, over the one recorded when the alert was added', () => {
    const [head, body] = written(subscription('ja'), () => 'es-ES');
    expect(head).toBe('**@star** tiene 1 seguidor nuevo.');
    expect(body).toContain('· 1234 seguidores');
  });

  it('is the one recorded when the alert was added, when the gateway has not said', () => {
    const [head, body] = written(subscription('ja'), () => undefined);
    expect(head).toBe('**@star** に新しいフォロワーが 1 人います。');
    expect(body).toContain('· フォロワー 1,234 人');
  });

  it('is English for an alert added before alerts spoke other languages', () => {
    const [head, body] = written(subscription(undefined), () => undefined);
    expect(head).toBe('**@star** has 1 new follower.');
    expect(body).toContain('· 1,234 followers');
  });
});
