/** Follower alerts end to end: /alerts, the poller on the emulator clock, delivery to the Discord emulator. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DiscordUser, PERMISSIONS } from '../emulators/discord/guilds.js';
import { CallbackType, type Message } from '../emulators/discord/interactions.js';
import type { EmuUser } from '../emulators/x/world.js';
import { type BotHarness, startBot } from '../support/bot-harness.js';
import { shown } from '../support/discord-markdown.js';
import { entryTitles, textDisplays, thumbnails } from '../support/v2-message.js';

let bot: BotHarness;
let star: EmuUser;
let fans: EmuUser[];

beforeEach(async () => {
  bot = await startBot({ ALERTS_SOURCE: 'poll' });
  star = bot.x.world.addUser({ username: 'star', name: 'Star' });
  fans = bot.x.world.addUsers(30, 'old');
  for (const [n, fan] of fans.entries()) bot.x.world.follow(fan.id, star.id, bot.clock.now() - 100_000 + n);
});
afterEach(() => bot.close());

const MINUTE = 60_000;
const tick = () => bot.flock.services.alerts.schedule.tick();
/** Lets time pass beyond every account's next check, then polls. */
async function poll() {
  bot.clock.advance(10 * MINUTE);
  await tick();
}
const posted = (channelId = bot.discord.alerts.id): Message[] => bot.discord.messages(channelId);

async function add(
  options: Record<string, unknown> = {},
  channelId = bot.discord.alerts.id,
): Promise<string> {
  const reply = await bot.discord
    .command('alerts', { account: '@star', channel: channelId, ...options }, {}, 'add')
    .reply();
  return reply.content;
}

function follow(count: number, prefix: string): EmuUser[] {
  const users = bot.x.world.addUsers(count, prefix);
  for (const user of users) {
    bot.clock.advance(1000);
    bot.x.world.follow(user.id, star.id);
  }
  return users;
}

describe('/alerts and the poller', () => {
  it('posts nothing for the baseline, then one V2 message with a section per new follower', async () => {
    expect(await add({ events: 'both' })).toMatch(
      /^Added alerts for \*\*@star\*\* in <#\d+>: new and lost followers\./,
    );
    await tick();
    expect(posted()).toEqual([]);
    const newcomers = follow(3, 'new');
    await poll();
    expect(posted()).toHaveLength(1);
    const [message] = posted();
    if (!message) throw new Error('no alert');
    expect(message.flags & (1 << 15)).toBe(1 << 15);
    expect(textDisplays(message)[0]).toBe('**@star** has 3 new followers.');
    expect(entryTitles(message)).toEqual(newcomers.reverse().map((u) => `New follower: ${u.name}`));
    expect(textDisplays(message)[1]).toContain('[@new2](https://x.com/new2) · 0 followers');
    expect(thumbnails(message)).toEqual(newcomers.map((u) => u.profileImageUrl));
    await poll();
    expect(posted()).toHaveLength(1);
  });

  it('reports 40 new followers between two polls, grouped in one message', async () => {
    await add();
    await tick();
    const newcomers = follow(40, 'wave');
    await poll();
    expect(posted()).toHaveLength(1);
    const [message] = posted();
    if (!message) throw new Error('no alert');
    expect(entryTitles(message)).toHaveLength(10);
    const [head = ''] = textDisplays(message);
    expect(head.split('\n')[0]).toBe('**@star** has 40 new followers.');
    for (const user of newcomers.slice(0, 30))
      expect(head).toContain(`@${user.username.replace('_', '\\_')}`);
    // Read in growing pages until a known follower appeared: no list was read twice.
    const reads = bot.x.requests('/followers').slice(1);
    expect(reads.map((r) => new URL(`http://x${r.query}`).searchParams.get('max_results'))).toEqual([
      '5',
      '20',
      '80',
    ]);
  });

  it('reports an unfollow, and a suspended follower as suspended, not as an unfollow', async () => {
    await add({ events: 'lost' });
    await tick();
    bot.x.world.unfollow(fans[29]?.id ?? '', star.id);
    const suspended = fans[28] as EmuUser;
    suspended.state = 'suspended';
    await poll();
    expect(posted()).toHaveLength(1);
    const titles = entryTitles(posted()[0] as Message).sort();
    expect(titles).toEqual(['Follower suspended', 'Unfollowed: old 29']);
    expect(textDisplays(posted()[0] as Message)[0]).toBe('**@star** lost 2 followers.');
  });

  it('checks an account once per poll however many channels follow it', async () => {
    const more = [bot.discord.guild.addChannel('a'), bot.discord.guild.addChannel('b')];
    await bot.restart(); // the bot learns of the new channels as Discord would tell it
    await add();
    for (const channel of more) await add({}, channel.id);
    await tick();
    follow(2, 'pair');
    const before = bot.x.requests().length;
    await poll();
    const reads = bot.x.requests().slice(before);
    expect(reads.map((r) => r.endpoint)).toEqual(['GET /2/users', 'GET /2/users/:id/followers']);
    for (const channel of [bot.discord.alerts, ...more]) expect(posted(channel.id)).toHaveLength(1);
  });

  it('never runs two ticks at once', async () => {
    await add();
    await tick();
    follow(1, 'once');
    bot.clock.advance(10 * MINUTE);
    const before = bot.x.requests().length;
    await Promise.all([tick(), tick(), tick()]);
    expect(
      bot.x
        .requests()
        .slice(before)
        .map((r) => r.endpoint),
    ).toEqual(['GET /2/users', 'GET /2/users/:id/followers']);
    expect(posted()).toHaveLength(1);
  });

  it('looks up the follower counts of every due account in one request', async () => {
    bot.x.world.addUser({ username: 'second' });
    await add();
    await bot.discord
      .command('alerts', { account: 'second', channel: bot.discord.alerts.id }, {}, 'add')
      .reply();
    await tick();
    const before = bot.x.requests().length;
    await poll();
    const lookups = bot.x
      .requests()
      .slice(before)
      .filter((r) => r.endpoint === 'GET /2/users');
    expect(lookups).toHaveLength(1);
    expect(
      decodeURIComponent(lookups[0]?.query ?? '')
        .split('ids=')[1]
        ?.split('&')[0]
        ?.split(','),
    ).toHaveLength(2);
  });

  it('posts exactly one message when the process dies between sending and marking it sent', async () => {
    await add();
    await tick();
    follow(2, 'crash');
    bot.discord.storeThenHang = 1;
    // The send is stored by Discord and never answered: the bot stops while waiting.
    bot.clock.advance(10 * MINUTE);
    void tick();
    await expect.poll(() => posted().length).toBe(1);
    await bot.restart();
    await tick();
    expect(posted()).toHaveLength(1);
    expect(bot.discord.rest.filter((r) => r.method === 'POST' && r.path.endsWith('/messages'))).toHaveLength(
      2,
    );
    await poll();
    expect(posted()).toHaveLength(1);
  });

  it('backs off on 429 and 503 from X and resumes with nothing lost', async () => {
    await add();
    await tick();
    follow(2, 'early');
    bot.x.faults.add({ match: '/followers', status: 429 });
    await poll();
    expect(posted()).toEqual([]);
    const list = await bot.discord.command('alerts', {}, {}, 'list').reply();
    expect(list.content).toContain('waiting for X’s rate limit');
    bot.x.faults.add({ status: 503, times: 50 });
    bot.clock.advance(16 * MINUTE);
    await tick();
    expect(posted()).toEqual([]);
    bot.x.faults.clear();
    follow(1, 'late');
    bot.clock.advance(2 * 60 * MINUTE);
    await tick();
    expect(posted()).toHaveLength(1);
    expect(textDisplays(posted()[0] as Message)[0]).toBe('**@star** has 3 new followers.');
  });

  it('pauses a subscription whose channel forbids it, says why, and resumes on /alerts add', async () => {
    await add();
    await tick();
    bot.discord.alerts.permission_overwrites.push({
      id: bot.discord.guild.id,
      type: 0,
      allow: '0',
      deny: String(1n << 11n),
    });
    follow(1, 'blocked');
    await poll();
    expect(posted()).toEqual([]);
    const list = await bot.discord.command('alerts', {}, {}, 'list').reply();
    expect(list.content).toMatch(/\*\*paused\*\*: Flock may not post there/);
    const notice = posted(bot.discord.general.id).at(-1);
    expect(notice?.content).toMatch(/^Follower alerts for @star in <#\d+> are paused/);
    follow(1, 'meanwhile');
    await poll();
    expect(bot.x.requests('/followers').length).toBe(2);

    bot.discord.alerts.permission_overwrites.length = 0;
    expect(await add()).toMatch(/^Resumed alerts/);
    await poll();
    expect(posted()).toHaveLength(1);
  });

  it('mentions the role, and lets only that role be pinged', async () => {
    const role = bot.discord.guild.addRole('followers-watch', 0n, true);
    await add({ role: role.id });
    await tick();
    follow(1, 'ping');
    await poll();
    const [message] = posted();
    expect(textDisplays(message as Message)[0]).toBe(`<@&${role.id}> **@star** has 1 new follower.`);
    expect(message?.allowed_mentions).toEqual({ parse: [], roles: [role.id] });
    expect(message?.mention_roles).toEqual([role.id]);
  });

  it('announces only followers above min_followers', async () => {
    await add({ min_followers: 1 });
    await tick();
    const [plain, popular] = follow(2, 'mix');
    bot.x.world.follow(plain?.id ?? '', popular?.id ?? '');
    await poll();
    expect(
      textDisplays(posted()[0] as Message)
        .slice(1)
        .join('\n'),
    ).toContain(`[@${popular?.username}](https://x.com/${popular?.username})`);
    expect(entryTitles(posted()[0] as Message)).toHaveLength(1);
  });
});

describe('/alerts permissions and checks', () => {
  it('refuses members without Manage Server, even if the command is shown to them', async () => {
    const member = bot.discord.addUser('member');
    const reply = await bot.discord.command('alerts', {}, { user: member }, 'list').reply();
    expect(reply.content).toBe('Only members with the Manage Server permission can manage follower alerts.');
    expect(reply.flags & 64).toBe(64);
  });

  it('says exactly which permissions Flock lacks in the channel', async () => {
    const locked = bot.discord.guild.addChannel('locked', [
      { id: bot.discord.guild.id, type: 0, allow: '0', deny: String((1n << 11n) | (1n << 14n)) },
    ]);
    await bot.restart();
    const reply = await bot.discord
      .command('alerts', { account: 'star', channel: locked.id }, {}, 'add')
      .reply();
    expect(reply.content).toBe(
      `I can't post alerts in <#${locked.id}>: I'm missing Send Messages, Embed Links there.`,
    );
    expect(await bot.flock.services.alerts.subscriptions.forGuild(bot.discord.guild.id)).toEqual([]);
  });

  it('lists and removes subscriptions, and keeps to the per-guild limit', async () => {
    await add({ events: 'both' });
    const list = await bot.discord.command('alerts', {}, {}, 'list').reply();
    expect(list.content).toContain('**@star** → <#');
    expect(list.content).toContain('new and lost followers');
    expect(list.content).toContain("Today's estimated X spend for this server's alerts: $0.00.");
    const removed = await bot.discord.command('alerts', { account: 'star' }, {}, 'remove').reply();
    expect(removed.content).toMatch(/^Stopped 1 alert for @star/);
    expect(await bot.flock.services.alerts.subscriptions.forGuild(bot.discord.guild.id)).toEqual([]);
  });
});

describe('/alerts add refuses what the member could not do themselves', () => {
  const { ManageGuild, MentionEveryone, SendMessages, ViewChannel } = PERMISSIONS;
  let mod: DiscordUser;
  beforeEach(() => {
    mod = bot.discord.addUser('mod', { permissions: ManageGuild });
  });

  /** Flock posts with its own Mention Everyone: the member's must not be borrowed. */
  function flockMayMentionEveryone() {
    const own = bot.discord.guild.roles.find((r) => r.name === 'Flock');
    if (!own) throw new Error('no Flock role');
    own.permissions = String(BigInt(own.permissions) | MentionEveryone);
  }

  /** Runs /alerts add as `user`; a refusal is immediate and private, stores nothing, asks X nothing. */
  async function refused(options: Record<string, unknown>, user = mod): Promise<string> {
    const before = bot.x.requests().length;
    const interaction = bot.discord.command(
      'alerts',
      { account: '@star', channel: bot.discord.alerts.id, ...options },
      { user },
      'add',
    );
    const reply = await interaction.reply();
    expect(interaction.acknowledged?.type).toBe(CallbackType.Reply);
    expect(reply.flags & 64).toBe(64);
    expect(await bot.flock.services.alerts.subscriptions.forGuild(bot.discord.guild.id)).toEqual([]);
    expect(bot.x.requests()).toHaveLength(before);
    return reply.content;
  }

  it('refuses a channel the member cannot see, though Flock can', async () => {
    const hidden = bot.discord.guild.addChannel('staff', [
      { id: bot.discord.guild.id, type: 0, allow: '0', deny: String(ViewChannel) },
      { id: bot.discord.bot.id, type: 1, allow: String(ViewChannel), deny: '0' },
    ]);
    await bot.restart();
    expect(await refused({ channel: hidden.id })).toBe(
      `You can't see <#${hidden.id}>, so you can't route alerts there.`,
    );
  });

  it('refuses a channel the member can read but not write in', async () => {
    const readOnly = bot.discord.guild.addChannel('announcements', [
      { id: bot.discord.guild.id, type: 0, allow: '0', deny: String(SendMessages) },
      { id: bot.discord.bot.id, type: 1, allow: String(SendMessages), deny: '0' },
    ]);
    await bot.restart();
    expect(await refused({ channel: readOnly.id })).toBe(
      `You can't send messages in <#${readOnly.id}>, so you can't route alerts there.`,
    );
  });

  it('refuses a role that is not mentionable when the member may not mention all roles', async () => {
    flockMayMentionEveryone();
    const staff = bot.discord.guild.addRole('staff', 0n, false);
    await bot.restart();
    expect(await refused({ role: staff.id })).toBe(
      `<@&${staff.id}> isn't mentionable and you don't have Mention @everyone, @here and All Roles in <#${bot.discord.alerts.id}>, so you can't make alerts ping it.`,
    );
  });

  it('accepts a role that is not mentionable from a member who may mention all roles', async () => {
    flockMayMentionEveryone();
    const staff = bot.discord.guild.addRole('staff', 0n, false);
    const herald = bot.discord.addUser('herald', { permissions: ManageGuild | MentionEveryone });
    await bot.restart();
    const reply = await bot.discord
      .command(
        'alerts',
        { account: '@star', channel: bot.discord.alerts.id, role: staff.id },
        { user: herald },
        'add',
      )
      .reply();
    expect(reply.content).toMatch(
      /^Added alerts for \*\*@star\*\* in <#\d+>: new followers, mentioning <@&\d+>\./,
    );
    expect(
      (await bot.flock.services.alerts.subscriptions.forGuild(bot.discord.guild.id)).map((s) => s.roleId),
    ).toEqual([staff.id]);
  });

  it('refuses @everyone, even from a member who may mention everyone', async () => {
    flockMayMentionEveryone();
    const herald = bot.discord.addUser('herald', { permissions: ManageGuild | MentionEveryone });
    await bot.restart();
    expect(await refused({ role: bot.discord.guild.id }, herald)).toBe(
      "Alerts can't ping @everyone. Choose a role for them, or leave the role out.",
    );
  });

  it('refuses a role that a bot or an integration manages', async () => {
    const managed = bot.discord.guild.addRole('Some Bot', 0n, true, { managed: true });
    expect(await refused({ role: managed.id })).toBe(
      `<@&${managed.id}> belongs to a bot or an integration, so alerts can't ping it. Choose another role.`,
    );
  });
});

describe('lost followers of a small account', () => {
  it('names an older follower who left, from a whole read of the list', async () => {
    const small = bot.x.world.addUser({ username: 'small' });
    const crowd = bot.x.world.addUsers(12, 'crowd');
    for (const [n, fan] of crowd.entries())
      bot.x.world.follow(fan.id, small.id, bot.clock.now() - 50_000 + n);
    await bot.discord
      .command('alerts', { account: 'small', channel: bot.discord.alerts.id, events: 'lost' }, {}, 'add')
      .reply();
    await tick();
    // crowd0 is the oldest follower: far below the five the baseline remembers.
    bot.x.world.unfollow(crowd[0]?.id ?? '', small.id);
    await poll();
    expect(entryTitles(posted()[0] as Message)).toEqual(['Unfollowed: crowd 0']);

    // A follower gained after the whole read, who then leaves, is named too.
    const [passing] = bot.x.world.addUsers(1, 'passing');
    bot.x.world.follow(passing?.id ?? '', small.id);
    await poll();
    bot.x.world.unfollow(passing?.id ?? '', small.id);
    await poll();
    expect(entryTitles(posted()[1] as Message)).toEqual(['Unfollowed: passing 0']);
  });

  it('counts but cannot name an older follower who left a large account', async () => {
    const big = bot.x.world.addUser({ username: 'big' });
    const crowd = bot.x.world.addUsers(250, 'many');
    for (const [n, fan] of crowd.entries()) bot.x.world.follow(fan.id, big.id, bot.clock.now() - 500_000 + n);
    await bot.discord
      .command('alerts', { account: 'big', channel: bot.discord.alerts.id, events: 'lost' }, {}, 'add')
      .reply();
    await tick();
    bot.x.world.unfollow(crowd[0]?.id ?? '', big.id);
    await poll();
    expect(posted()).toEqual([]);
    expect((await bot.flock.services.alerts.states.get(big.id))?.unidentifiedLosses).toBe(1);

    // A follower gained since tracking began is remembered, so its unfollow is named.
    const [fleeting] = bot.x.world.addUsers(1, 'fleeting');
    bot.x.world.follow(fleeting?.id ?? '', big.id);
    await poll();
    bot.x.world.unfollow(fleeting?.id ?? '', big.id);
    await poll();
    expect(entryTitles(posted()[0] as Message)).toEqual(['Unfollowed: fleeting 0']);
    const reads = bot.x
      .requests('/followers')
      .map((r) => new URL(`http://x${r.query}`).searchParams.get('max_results'));
    // Baseline 5; then reads of the top of the list only, never the whole 250.
    expect(reads.every((n) => Number(n) <= 10)).toBe(true);
  });
});

describe('isolation and limits', () => {
  it('keeps checking other accounts when one cannot be read, and pauses that one with the reason', async () => {
    const doomed = bot.x.world.addUser({ username: 'doomed' });
    await add();
    await bot.discord
      .command('alerts', { account: 'doomed', channel: bot.discord.alerts.id }, {}, 'add')
      .reply();
    await tick();
    doomed.state = 'suspended';
    follow(1, 'still');
    await poll();
    expect(posted()).toHaveLength(1);
    const list = await bot.discord.command('alerts', {}, {}, 'list').reply();
    expect(list.content).toContain('**paused**: @doomed is suspended on X');
  });

  it('pauses alerts for a deleted channel', async () => {
    const doomed = bot.discord.guild.addChannel('doomed');
    await bot.restart();
    await add({}, doomed.id);
    await tick();
    bot.discord.guild.channels.splice(bot.discord.guild.channels.indexOf(doomed), 1);
    follow(1, 'lost_in_void');
    await poll();
    const list = await bot.discord.command('alerts', {}, {}, 'list').reply();
    expect(list.content).toContain('**paused**: the channel was deleted');
  });

  it('refuses alerts beyond ALERTS_MAX_PER_GUILD', async () => {
    await bot.close();
    bot = await startBot({ ALERTS_MAX_PER_GUILD: '1', ALERTS_SOURCE: 'poll' });
    bot.x.world.addUser({ username: 'star' });
    bot.x.world.addUser({ username: 'other' });
    await add();
    const refused = await bot.discord
      .command('alerts', { account: 'other', channel: bot.discord.alerts.id }, {}, 'add')
      .reply();
    expect(shown(refused.content)).toBe(
      'This server already has 1 alert, the most it may have. Remove one with `/alerts remove` first.',
    );
    expect(await add({ events: 'both' })).toMatch(/^Updated alerts/);
  });
});
