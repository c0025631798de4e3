import { describe, expect, it } from 'vitest';
import { RecentMemo } from '../../src/paging/recent-memo.js';

describe('RecentMemo', () => {
  it('keeps the most recently used records, up to its size', () => {
    const memo = new RecentMemo<number>(2);
    memo.set('a', 1);
    memo.set('b', 2);
    expect(memo.get('a')).toBe(1);
    memo.set('c', 3);
    // b was the least recently used.
    expect(memo.get('b')).toBeUndefined();
    expect(memo.get('a')).toBe(1);
    expect(memo.get('c')).toBe(3);
    memo.set('a', 4);
    memo.set('d', 5);
    expect([memo.get('a'), memo.get('c'), memo.get('d')]).toEqual([4, undefined, 5]);
  });
});
