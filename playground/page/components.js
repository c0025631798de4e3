// @ts-check
/**
 * A message's components as Discord draws them: action rows of buttons (and selects, shown but not
 * offered), and Components V2 (containers, sections with thumbnails or buttons, text displays,
 * separators, media galleries, files). Pictures load only from this page's own server.
 */
import { el, link, markdown, safeUrl } from './markdown.js';

/**
 * @typedef {Record<string, any>} Json
 * @typedef {import('./markdown.js').Names} Names
 * @typedef {{ names: Names, message: Json, click(customId: string, button: HTMLButtonElement): void }} Context
 */

const BUTTON_STYLES = ['', 'primary', 'secondary', 'success', 'danger', 'link', 'premium'];

/**
 * Where the page finds a picture: Flock's attachments and X's avatars are served here; anything
 * else would leave the machine, so it is not shown.
 * @param {string} url
 * @param {Json} message
 */
export function mediaUrl(url, message) {
  const attachments = /** @type {Json[]} */ (message.attachments ?? []);
  const byName = /^attachment:\/\/(.+)$/.exec(url)?.[1];
  const byCdn = /^https:\/\/(?:cdn\.discordapp\.com|media\.discordapp\.net)\/attachments\/\d+\/(\d+)\//.exec(
    url,
  )?.[1];
  const attachment = attachments.find((a) => (byName ? a.filename === byName : a.id === byCdn));
  if (attachment && /^\d+$/.test(String(attachment.id)) && /^\d+$/.test(String(message.id)))
    return `/attachments/${message.id}/${attachment.id}`;
  const avatar = /^https:\/\/pbs\.twimg\.com\/profile_images\/(\d+)\//.exec(url)?.[1];
  return avatar ? `/avatars/${avatar}.svg` : undefined;
}

/** @param {string} url @param {string} alt @param {Json} message @param {string} className */
export function picture(url, alt, message, className) {
  const local = mediaUrl(url, message);
  if (!local) return el('div', `${className} missing-media`, alt || 'picture');
  const img = /** @type {HTMLImageElement} */ (el('img', className));
  img.src = local;
  img.alt = alt;
  return img;
}

/** @param {Json} button @param {Context} context */
function renderButton(button, context) {
  const style = BUTTON_STYLES[Number(button.style)] ?? 'secondary';
  const label = `${button.emoji?.name ? `${button.emoji.name} ` : ''}${button.label ?? ''}`.trim();
  if (button.url !== undefined) {
    const href = safeUrl(String(button.url));
    const a = href ? link(href, 'button link-button') : el('span', 'button link-button');
    a.textContent = `${label} ↗`;
    if (button.disabled || !href) a.classList.add('disabled');
    return a;
  }
  const node = /** @type {HTMLButtonElement} */ (el('button', `button ${style}`, label));
  node.type = 'button';
  node.disabled = Boolean(button.disabled);
  node.dataset.customId = String(button.custom_id ?? '');
  node.addEventListener('click', () => context.click(String(button.custom_id ?? ''), node));
  return node;
}

/** @param {Json} select */
function renderSelect(select) {
  const node = /** @type {HTMLSelectElement} */ (el('select', 'select'));
  node.disabled = true;
  node.title = 'Select menus are shown, not offered, in the playground';
  node.append(el('option', undefined, String(select.placeholder ?? 'Make a selection')));
  for (const option of select.options ?? []) node.append(el('option', undefined, String(option.label ?? '')));
  return node;
}

/**
 * One component and what it holds.
 * @param {Json} component
 * @param {Context} context
 * @returns {HTMLElement}
 */
export function renderComponent(component, context) {
  const children = () =>
    (component.components ?? []).map((/** @type {Json} */ c) => renderComponent(c, context));
  switch (component.type) {
    case 1: {
      const row = el('div', 'action-row');
      row.append(...children());
      return row;
    }
    case 2:
      return renderButton(component, context);
    case 3:
    case 5:
    case 6:
    case 7:
    case 8:
      return renderSelect(component);
    case 9: {
      const section = el('div', 'section');
      const text = el('div', 'section-text');
      text.append(...children());
      section.append(text);
      if (component.accessory) section.append(renderComponent(component.accessory, context));
      return section;
    }
    case 10:
      return markdown(String(component.content ?? ''), context.names);
    case 11:
      return picture(
        String(component.media?.url ?? ''),
        String(component.description ?? ''),
        context.message,
        'thumbnail',
      );
    case 12: {
      const gallery = el('div', 'gallery');
      for (const item of component.items ?? [])
        gallery.append(
          picture(
            String(item.media?.url ?? ''),
            String(item.description ?? ''),
            context.message,
            'gallery-item',
          ),
        );
      return gallery;
    }
    case 13:
      return el('div', 'file', `📄 ${String(component.file?.url ?? '').replace(/^attachment:\/\//, '')}`);
    case 14:
      return el('div', component.divider === false ? 'separator' : 'separator divider');
    case 17: {
      const box = el('div', 'container');
      if (typeof component.accent_color === 'number')
        box.style.borderLeftColor = `#${component.accent_color.toString(16).padStart(6, '0')}`;
      if (component.spoiler) box.classList.add('spoiler-box');
      box.append(...children());
      return box;
    }
    default:
      return el('div', 'unknown-component', `(component type ${String(component.type)})`);
  }
}

/**
 * A classic embed: colour bar, author, title, description, fields, images and footer.
 * @param {Json} embed
 * @param {Context} context
 */
export function renderEmbed(embed, context) {
  const box = el('div', 'embed');
  if (typeof embed.color === 'number')
    box.style.borderLeftColor = `#${embed.color.toString(16).padStart(6, '0')}`;
  const body = el('div', 'embed-body');
  if (embed.author?.name) body.append(el('div', 'embed-author', String(embed.author.name)));
  if (embed.title) {
    const href = embed.url && safeUrl(String(embed.url));
    const title = href ? link(href, 'embed-title link') : el('div', 'embed-title');
    title.textContent = String(embed.title);
    body.append(title);
  }
  if (embed.description) body.append(markdown(String(embed.description), context.names));
  if (embed.fields?.length) {
    const fields = el('div', 'embed-fields');
    for (const field of embed.fields) {
      const node = el('div', field.inline ? 'embed-field inline' : 'embed-field');
      node.append(
        el('div', 'embed-field-name', String(field.name ?? '')),
        markdown(String(field.value ?? ''), context.names),
      );
      fields.append(node);
    }
    body.append(fields);
  }
  if (embed.image?.url) body.append(picture(String(embed.image.url), '', context.message, 'embed-image'));
  const footer = [
    embed.footer?.text,
    embed.timestamp && new Date(embed.timestamp).toLocaleString('en'),
  ].filter(Boolean);
  if (footer.length) body.append(el('div', 'embed-footer', footer.join(' • ')));
  box.append(body);
  if (embed.thumbnail?.url)
    box.append(picture(String(embed.thumbnail.url), '', context.message, 'embed-thumbnail'));
  return box;
}
