/** X's follow intent URL: only values X could have issued, encoded, never a second parameter. */
import { describe, expect, it } from 'vitest';
import { followIntentUrl } from '../../src/accounts/follow-intent.js';

describe('followIntentUrl', () => {
  it('names the account by username when X could have issued it', () => {
    expect(followIntentUrl({ id: '12', username: 'jack' })).toBe(
      'https://x.com/intent/follow?screen_name=jack',
    );
  });

  it('falls back to the id for a username with URL syntax in it', () => {
    for (const username of [
      'a&user_id=1',
      'a/../b',
      'a#b',
      'a?b=c',
      'x.com',
      'evil[x](https://evil.example/u)',
      '',
    ])
      expect(followIntentUrl({ id: '12', username })).toBe('https://x.com/intent/follow?user_id=12');
  });

  it('gives no URL when neither the username nor the id is one X could have issued', () => {
    expect(followIntentUrl({ id: '12&screen_name=evil', username: 'a&b' })).toBeUndefined();
    expect(followIntentUrl({ id: '', username: '' })).toBeUndefined();
    expect(followIntentUrl({ id: '12345678901234567890', username: 'a b' })).toBeUndefined();
  });
});
