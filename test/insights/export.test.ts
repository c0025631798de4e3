/**
 * /export end to end: the same estimate and Confirm, then CSV files attached to the reply that a
 * CSV parser reads back to the same rows, hostile names included (formulas neutralised), split
 * below the interaction's attachment_size_limit, with nothing left in the temporary folder.
 */
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEMP_PREFIX } from '../../src/insights/csv-files.js';
import type { Interaction, Message } from '../emulators/discord/interactions.js';
import { attachmentBytes } from '../emulators/discord/message-files.js';
import type { EmuUser } from '../emulators/x/world.js';
import { type BotHarness, startBot } from '../support/bot-harness.js';
import { v2Text } from '../support/v2-message.js';
import { ask, confirm, finished, until } from './helpers.js';

let bot: BotHarness;
beforeEach(async () => {
  bot = await startBot({ INSIGHTS_USER_DAILY_USD: '100' });
});
afterEach(() => bot.close());

const HOSTILE = [
  '=HYPERLINK("http://evil.example","click")',
  '+1 555 0100',
  '-2+3',
  '@SUM(A1:A9)',
  '\tTabbed',
  '\rCarriage',
  'Comma, "quoted"\nand a newline',
  'two\nlines',
  '山田 太郎 🐑',
  'plain name',
];

const temporaryFolders = () => readdirSync(tmpdir()).filter((name) => name.startsWith(TEMP_PREFIX));

function seedFollowers(star: EmuUser, names: string[]): EmuUser[] {
  const world = bot.x.world;
  return names.map((name, n) => {
    const user = world.addUser({
      username: `fan${n}`,
      name,
      location: n === 0 ? '=cmd|/c calc' : undefined,
      url: n === 1 ? '-https://x.example' : undefined,
      verified: n % 2 === 0,
    });
    world.follow(user.id, star.id, bot.clock.now() - 1_000_000 + n);
    return user;
  });
}

/** Every CSV row the reply's files hold, header rows apart, and the files. */
async function csvRows(
  click: Interaction,
  files: number,
): Promise<{ rows: string[][]; messages: Message[] }> {
  const messages = await until(
    () => click.followups.length >= files && click.followups.slice(0, files),
    `${files} file(s)`,
  );
  const rows: string[][] = [];
  for (const message of messages) {
    const [file] = message.attachments as { id: string; filename: string; size: number }[];
    if (!file) throw new Error('a follow-up without its file');
    const bytes = attachmentBytes(file);
    if (!bytes) throw new Error('no bytes');
    const [header, ...body] = parse(bytes, { bom: true, relax_column_count: false }) as string[][];
    expect(header).toEqual([
      'id',
      'username',
      'name',
      'followers',
      'following',
      'posts',
      'verified',
      'protected',
      'created_at',
      'location',
      'url',
    ]);
    rows.push(...body);
  }
  return { rows, messages };
}

describe('/export list', () => {
  it('writes a CSV that parses back to the same rows, with formulas neutralised', async () => {
    const folders = temporaryFolders();
    const star = bot.x.world.addUser({ username: 'star' });
    const fans = seedFollowers(star, HOSTILE);
    const { message: estimate } = await ask(bot, 'export', 'list', { account: 'star', kind: 'followers' });
    expect(v2Text(estimate)).toContain('**CSV: Followers of @star**');
    expect(v2Text(estimate)).toContain('Followers of @star: 10 users to read');
    const click = await confirm(bot, estimate);
    const done = await finished(click);
    expect(v2Text(done)).toContain('Done: 10 rows, in 1 file(s) below. $0.10 spent.');
    const { rows, messages } = await csvRows(click, 1);
    expect((messages[0]?.flags ?? 0) & 64).toBe(64);
    expect(messages[0]?.content).toBe('Followers of @star: 10 rows.');
    expect((messages[0]?.attachments[0] as { filename?: string } | undefined)?.filename).toMatch(
      /^star-followers-\d{4}-\d{2}-\d{2}\.csv$/,
    );
    const expected = [...fans].reverse().map((fan) => {
      const n = fans.indexOf(fan);
      const safe = (text: string) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);
      return [
        fan.id,
        fan.username,
        safe(fan.name),
        '0',
        '1',
        '0',
        n % 2 === 0 ? 'true' : 'false',
        'false',
        '2015-03-21T20:50:14.000Z',
        n === 0 ? "'=cmd|/c calc" : '',
        n === 1 ? "'-https://x.example" : '',
      ];
    });
    expect(rows).toEqual(expected);
    // No cell a spreadsheet would run.
    expect(rows.flat().filter((cell) => /^[=+\-@\t\r]/.test(cell))).toEqual([]);
    expect(temporaryFolders()).toEqual(folders);
  });

  it('splits the CSV into files below the interaction’s attachment limit', async () => {
    bot.discord.attachmentSizeLimit = 2048;
    const star = bot.x.world.addUser({ username: 'star' });
    const names = Array.from({ length: 80 }, (_, n) => `Follower number ${n} with a name long enough`);
    const fans = seedFollowers(star, names);
    const { message: estimate } = await ask(bot, 'export', 'list', { account: 'star', kind: 'followers' });
    const click = await confirm(bot, estimate);
    const done = await finished(click);
    const files = Number(/in (\d+) file\(s\)/.exec(v2Text(done))?.[1]);
    expect(files).toBeGreaterThan(2);
    const { rows, messages } = await csvRows(click, files);
    for (const message of messages)
      expect((message.attachments[0] as { size: number }).size).toBeLessThanOrEqual(2048);
    expect(messages[1]?.content).toMatch(
      new RegExp(`^Followers of @star, part 2 of ${files}: \\d+ rows\\.$`),
    );
    expect(rows.map((row) => row[0]).sort()).toEqual(fans.map((f) => f.id).sort());
  });
});
