// @ts-check
/**
 * One message as a Discord channel shows it: who used which command, Flock's name and time, its
 * text, embeds, components and files, "(edited)", and, for an ephemeral reply, "Only you can see
 * this" with its Dismiss link.
 */
import { picture, renderComponent, renderEmbed } from './components.js';
import { el, markdown } from './markdown.js';

/**
 * @typedef {Record<string, any>} Json
 * @typedef {{ message: Json, onlyFor?: string }} Shown
 * @typedef {{ names: import('./markdown.js').Names,
 *   click(message: Json, customId: string, button: HTMLButtonElement): void,
 *   dismiss(id: string): void }} MessageContext
 */

const IS_COMPONENTS_V2 = 1 << 15;
const EPHEMERAL = 64;
const LOADING = 128;

/** @param {string} iso */
function time(iso) {
  const node = /** @type {HTMLTimeElement} */ (
    el('time', 'time', new Date(iso).toLocaleTimeString('en', { timeStyle: 'short' }))
  );
  node.dateTime = iso;
  return node;
}

/** @param {string} name @param {string} className */
function avatar(name, className) {
  return el('div', `avatar ${className}`, (name[0] ?? '?').toUpperCase());
}

/** Files no embed or component shows: a chart posted on its own. @param {Json} message */
function looseAttachments(message) {
  const shown = JSON.stringify([message.embeds, message.components]);
  const box = el('div', 'attachments');
  for (const a of message.attachments ?? []) {
    if (shown.includes(`attachment://${a.filename}`)) continue;
    if (String(a.content_type).startsWith('image/'))
      box.append(
        picture(
          `attachment://${a.filename}`,
          String(a.description ?? a.filename),
          message,
          'attachment-image',
        ),
      );
    else box.append(el('div', 'file', `📄 ${String(a.filename)}`));
  }
  return box;
}

/**
 * @param {Shown} shown
 * @param {MessageContext} context
 * @param {{ username: string }} bot
 */
export function renderMessage(shown, context, bot) {
  const { message } = shown;
  const article = el('article', 'message');
  article.dataset.messageId = String(message.id);
  const used = message.interaction_metadata;
  if (used?.user) {
    const line = el('div', 'used-line');
    const what = used.type === 2 ? `/${String(used.name ?? '')}` : 'a button';
    line.append(
      el('span', 'mention', `@${String(used.user.username ?? '')}`),
      ` used `,
      el('span', 'command-name', what),
    );
    article.append(line);
  }
  const main = el('div', 'message-main');
  const body = el('div', 'message-body');
  const head = el('div', 'message-head');
  head.append(
    el('span', 'author', bot.username),
    el('span', 'app-tag', 'APP'),
    time(String(message.timestamp)),
  );
  body.append(head);

  const context2 = {
    names: context.names,
    message,
    /** @param {string} customId @param {HTMLButtonElement} button */
    click: (customId, button) => context.click(message, customId, button),
  };
  if (message.flags & LOADING) body.append(el('div', 'thinking', `${bot.username} is thinking…`));
  else {
    if (message.content) {
      const text = markdown(String(message.content), context.names);
      // Discord marks an edit after the text, where there is text to mark.
      if (message.edited_timestamp) text.lastElementChild?.append(el('span', 'edited', ' (edited)'));
      body.append(text);
    }
    for (const embed of message.embeds ?? []) body.append(renderEmbed(embed, context2));
    const components = el('div', message.flags & IS_COMPONENTS_V2 ? 'components v2' : 'components');
    for (const component of message.components ?? []) components.append(renderComponent(component, context2));
    body.append(components, looseAttachments(message));
  }
  if (message.flags & EPHEMERAL) {
    article.classList.add('ephemeral');
    body.append(ephemeralNote(() => context.dismiss(String(message.id))));
  }
  main.append(avatar(bot.username, 'bot-avatar'), body);
  article.append(main);
  return article;
}

/** @param {() => void} dismiss */
function ephemeralNote(dismiss) {
  const note = el('div', 'ephemeral-note');
  const button = /** @type {HTMLButtonElement} */ (el('button', 'dismiss', 'Dismiss message'));
  button.type = 'button';
  button.addEventListener('click', dismiss);
  note.append('👁 Only you can see this • ', button);
  return note;
}

/**
 * A line from Discord itself to one person, such as "The application did not respond".
 * @param {string} text
 * @param {() => void} dismiss
 */
export function renderNotice(text, dismiss) {
  const article = el('article', 'message ephemeral notice');
  const main = el('div', 'message-main');
  const body = el('div', 'message-body');
  body.append(el('div', 'notice-text', text), ephemeralNote(dismiss));
  main.append(avatar('D', 'system-avatar'), body);
  article.append(main);
  return article;
}
