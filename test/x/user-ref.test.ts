import { describe, expect, it } from 'vitest';
import { InvalidUserRefError, parseUserRef } from '../../src/x/index.js';

describe('parseUserRef', () => {
  it.each([
    ['@jack', { kind: 'username', username: 'jack' }],
    ['jack', { kind: 'username', username: 'jack' }],
    ['  Jack_Dorsey  ', { kind: 'username', username: 'Jack_Dorsey' }],
    ['12', { kind: 'id', id: '12' }],
    ['1234567890123456789', { kind: 'id', id: '1234567890123456789' }],
    ['@123', { kind: 'username', username: '123' }],
    ['https://x.com/jack', { kind: 'username', username: 'jack' }],
    ['https://twitter.com/jack/', { kind: 'username', username: 'jack' }],
    ['http://www.twitter.com/jack?s=20&t=abc', { kind: 'username', username: 'jack' }],
    ['mobile.twitter.com/jack', { kind: 'username', username: 'jack' }],
    ['x.com/jack', { kind: 'username', username: 'jack' }],
    ['https://X.com/jack/followers', { kind: 'username', username: 'jack' }],
    ['https://x.com/jack/status/20', { kind: 'username', username: 'jack' }],
    ['<https://x.com/jack>', { kind: 'username', username: 'jack' }],
    ['https://x.com/i/user/783214', { kind: 'id', id: '783214' }],
    ['https://x.com/jack#top', { kind: 'username', username: 'jack' }],
  ])('reads %j', (input, expected) => {
    expect(parseUserRef(input)).toEqual(expected);
  });

  it.each([
    '',
    '   ',
    '@',
    '@way_too_long_username_here',
    'two words',
    'jack!',
    '12345678901234567890',
    'https://example.com/jack',
    'https://x.com/',
    'https://x.com/home',
    'https://x.com/search?q=jack',
    'https://x.com/i/flow/login',
    'https://x.com/jack/unknown-tab',
    'ftp://x.com/jack',
    'https://x.com.evil.example/jack',
    'javascript:alert(1)',
    'a'.repeat(300),
  ])('refuses %j with the accepted forms', (input) => {
    expect(() => parseUserRef(input)).toThrow(InvalidUserRefError);
    expect(() => parseUserRef(input)).toThrow(/@name.*profile link.*numeric account id/);
  });
});
