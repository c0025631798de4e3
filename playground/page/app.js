// @ts-check
/**
 * The playground's page: a Discord server with #general and #alerts, who you are (a member or a
 * moderator) and which X account X's consent page offers, the channel's messages as they arrive
 * (Server-Sent Events), and the command bar.
 */
import { commandBar } from './command-bar.js';
import { el } from './markdown.js';
import { renderMessage, renderNotice } from './message.js';
import { openModal } from './modal.js';

/**
 * @typedef {Record<string, any>} Json
 * @typedef {import('./message.js').Shown} Shown
 * @typedef {{ id: string, channelId: string, onlyFor: string, text: string }} Notice
 */

const DISCORD_EPOCH = 1_420_070_400_000n;
/** @param {string} id */
const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/** @param {string} path @param {Json} body @returns {Promise<Json>} */
async function call(path, body) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.error ?? `The playground answered ${response.status}.`);
  return answer;
}

const state = /** @type {Json} */ (await (await fetch('/api/state')).json());
let me = String(state.people[0].id);
let channelId = String(state.channels[0].id);
/** @type {Map<string, Shown>} */
const messages = new Map();
/** @type {Notice[]} */
const notices = [];
/** @type {Map<string, HTMLElement>} what the list shows, by message id */
const nodes = new Map();
const unread = new Set();
/** Set when this page sent a command: its answer is scrolled to, wherever the list was. */
let answerAwaited = false;
const list = byId('messages');
const errorLine = byId('bar-error');

/** @param {Json[]} items @param {string} id @param {string} field */
const nameIn = (items, id, field) => items.find((item) => item.id === id)?.[field];
const names = {
  /** @param {string} id */ user: (id) => nameIn(state.members, id, 'username'),
  /** @param {string} id */ role: (id) =>
    String(nameIn(state.roles, id, 'name') ?? '').replace(/^@/, '') || undefined,
  /** @param {string} id */ channel: (id) => nameIn(state.channels, id, 'name'),
  /** @param {string} id */ openChannel: (id) => nameIn(state.channels, id, 'name') && openChannel(id),
};

const context = {
  names,
  /** @param {Json} message @param {string} customId @param {HTMLButtonElement} button */
  click(message, customId, button) {
    button.disabled = true;
    setTimeout(() => (button.disabled = false), 3_000);
    call('/api/click', { userId: me, messageId: message.id, customId }).catch((/** @type {Error} */ e) => {
      errorLine.textContent = e.message;
    });
  },
  /** @param {string} id */
  dismiss(id) {
    const index = notices.findIndex((n) => n.id === id);
    if (index >= 0) notices.splice(index, 1);
    else messages.delete(id);
    nodes.get(id)?.remove();
    nodes.delete(id);
  },
};

/** @param {Shown} shown */
const visible = (shown) => shown.message.channel_id === channelId && (!shown.onlyFor || shown.onlyFor === me);

/**
 * Puts `node` (keyed by the snowflake `id`) where its time says, replacing what showed it before.
 * @param {string} id
 * @param {HTMLElement} node
 */
function place(id, node) {
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  const before = nodes.get(id);
  if (before) before.replaceWith(node);
  else {
    const later = [...nodes.entries()].find(([other]) => BigInt(other) > BigInt(id));
    list.insertBefore(node, later?.[1] ?? null);
  }
  nodes.set(id, node);
  byId('empty').hidden = true;
  const stick = atBottom || (!before && answerAwaited);
  if (!before) answerAwaited = false;
  if (!stick) return;
  list.scrollTop = list.scrollHeight;
  // A chart or a face makes the message taller once it loads.
  for (const img of node.querySelectorAll('img'))
    img.addEventListener('load', () => (list.scrollTop = list.scrollHeight), { once: true });
}

/** @param {Shown} shown */
function show(shown) {
  const id = String(shown.message.id);
  messages.set(id, shown);
  if (visible(shown)) place(id, renderMessage(shown, context, state.bot));
  else if (!shown.onlyFor || shown.onlyFor === me) markUnread(String(shown.message.channel_id));
}

/** @param {string} id */
function markUnread(id) {
  unread.add(id);
  renderChannels();
}

function renderAll() {
  list.replaceChildren();
  nodes.clear();
  const empty = el('div', 'empty');
  empty.id = 'empty';
  const channel = names.channel(channelId);
  empty.append(
    el('h2', undefined, `Welcome to #${channel}!`),
    el('p', undefined, 'Type / in the bar below to see Flock’s commands.'),
  );
  list.append(empty);
  for (const shown of messages.values())
    if (visible(shown)) place(String(shown.message.id), renderMessage(shown, context, state.bot));
  for (const notice of notices)
    if (notice.channelId === channelId && notice.onlyFor === me)
      place(
        notice.id,
        renderNotice(notice.text, () => context.dismiss(notice.id)),
      );
  byId('channel-name').textContent = channel;
  byId('input').setAttribute('placeholder', `Message #${channel} (type / for commands)`);
  list.scrollTop = list.scrollHeight;
}

/** @param {string} id */
function openChannel(id) {
  channelId = id;
  unread.delete(id);
  renderChannels();
  renderAll();
}

function renderChannels() {
  const box = byId('channels');
  box.replaceChildren();
  for (const channel of state.channels) {
    const button = /** @type {HTMLButtonElement} */ (el('button', 'channel', `# ${channel.name}`));
    button.type = 'button';
    button.dataset.channel = channel.name;
    if (channel.id === channelId) button.classList.add('active');
    if (unread.has(channel.id)) button.append(el('span', 'unread', '●'));
    button.addEventListener('click', () => openChannel(channel.id));
    box.append(button);
  }
}

/** Signs this browser in to Discord's consent page as `id` too, then shows what `id` sees. @param {string} id */
async function becomeUser(id) {
  await call('/api/sign-in', { userId: id });
  me = id;
  const select = /** @type {HTMLSelectElement} */ (byId('user'));
  select.value = id;
  renderAll();
}

function renderPeople() {
  const select = /** @type {HTMLSelectElement} */ (byId('user'));
  for (const person of state.people) {
    const option = /** @type {HTMLOptionElement} */ (
      el('option', undefined, `${person.username} (${person.role})`)
    );
    option.value = person.id;
    select.append(option);
  }
  select.addEventListener(
    'change',
    () => void becomeUser(select.value).catch((e) => (errorLine.textContent = e.message)),
  );
  const accounts = /** @type {HTMLSelectElement} */ (byId('x-account'));
  for (const account of state.xAccounts) {
    const option = /** @type {HTMLOptionElement} */ (
      el('option', undefined, `@${account.username} (${account.name})`)
    );
    option.value = account.id;
    accounts.append(option);
  }
  accounts.value = state.xSignedIn ?? '';
  accounts.addEventListener(
    'change',
    () =>
      void call('/api/x-account', { id: accounts.value }).catch((e) => (errorLine.textContent = e.message)),
  );
}

/** @param {import('./command-bar.js').Invocation} invocation */
const invocation = (invocation) => ({ userId: me, channelId, ...invocation });
commandBar(
  { input: /** @type {HTMLInputElement} */ (byId('input')), popup: byId('popup'), error: errorLine },
  {
    commands: () => {
      const allowed = state.people.find((/** @type {Json} */ p) => p.id === me)?.commands ?? [];
      return state.commands.filter((/** @type {Json} */ c) => allowed.includes(c.name));
    },
    channels: () => state.channels,
    roles: () => state.roles,
    members: () => state.members,
    send: async (what) => {
      answerAwaited = true;
      await call('/api/command', invocation(what)).catch((/** @type {Error} */ e) => {
        answerAwaited = false;
        throw e;
      });
    },
    autocomplete: async (what, focused) =>
      (await call('/api/autocomplete', { ...invocation(what), focused })).choices,
  },
);

const events = new EventSource('/api/events');
events.addEventListener('message', (event) => show(JSON.parse(event.data).shown));
events.addEventListener('delete', (event) => context.dismiss(JSON.parse(event.data).id));
events.addEventListener('notice', (event) => {
  const data = JSON.parse(event.data);
  const id = String((BigInt(Date.now()) - DISCORD_EPOCH) << 22n);
  const notice = { id, channelId: data.channelId, onlyFor: data.onlyFor, text: data.text };
  notices.push(notice);
  if (notice.onlyFor === me && notice.channelId === channelId)
    place(
      id,
      renderNotice(notice.text, () => context.dismiss(id)),
    );
});
events.addEventListener('modal', (event) => {
  const { opened } = JSON.parse(event.data);
  if (opened.onlyFor !== me) return;
  openModal(/** @type {HTMLDialogElement} */ (byId('modal')), opened.modal, async (fields) => {
    await call('/api/modal', {
      userId: me,
      channelId: opened.channelId,
      customId: opened.modal.custom_id,
      fields,
      messageId: opened.messageId,
    });
  });
});

byId('server-name').textContent = state.guild.name;
renderPeople();
renderChannels();
await becomeUser(me);
document.body.dataset.ready = 'true';
