import { describe, expect, it } from 'vitest';
import { decodeCustomId, encodeCustomId } from '../../src/discord/custom-id.js';

describe('the custom_id codec', () => {
  it('round-trips a namespace, an action and arguments', () => {
    const id = encodeCustomId('page', 'go', 'Ab-_12', 41, 'n');
    expect(id).toBe('page:go:Ab-_12:41:n');
    expect(decodeCustomId(id)).toEqual({ namespace: 'page', action: 'go', args: ['Ab-_12', '41', 'n'] });
  });

  it('refuses ids over Discord’s 100 characters', () => {
    expect(() => encodeCustomId('page', 'go', 'x'.repeat(95))).toThrow(/Discord allows 100/);
    expect(encodeCustomId('page', 'go', 'x'.repeat(92))).toHaveLength(100);
  });

  it('refuses parts that would break the format', () => {
    expect(() => encodeCustomId('page', 'go', 'a:b')).toThrow(RangeError);
    expect(() => encodeCustomId('page', 'go', 'a b')).toThrow(RangeError);
  });

  it('does not decode ids it did not make', () => {
    expect(decodeCustomId('just-a-button')).toBeUndefined();
    expect(decodeCustomId(':go:1')).toBeUndefined();
    expect(decodeCustomId('page:go:<script>')).toBeUndefined();
  });
});
