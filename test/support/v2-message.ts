/**
 * Reading a Components V2 message as someone sees it: every component (nested ones too), the
 * text of its TextDisplays, its buttons and its thumbnails.
 */
type Json = Record<string, unknown>;

/** Every component of the message, depth first, Section accessories included. */
export function allComponents(message: { components: readonly unknown[] }): Json[] {
  const out: Json[] = [];
  const visit = (component: Json) => {
    out.push(component);
    for (const child of (component.components as Json[] | undefined) ?? []) visit(child);
    if (component.accessory) visit(component.accessory as Json);
  };
  for (const component of message.components) visit(component as Json);
  return out;
}

/** The content of each TextDisplay, in order. */
export function textDisplays(message: { components: readonly unknown[] }): string[] {
  return allComponents(message)
    .filter((c) => c.type === 10)
    .map((c) => String(c.content));
}

/** All the text the message shows, its TextDisplays one after another. */
export function v2Text(message: { components: readonly unknown[] }): string {
  return textDisplays(message).join('\n');
}

export interface Button {
  label?: string;
  custom_id?: string;
  url?: string;
  style?: number;
  disabled?: boolean;
}

export function buttons(message: { components: readonly unknown[] }): Button[] {
  return allComponents(message).filter((c) => c.type === 2) as Button[];
}

/** The custom_id of the button labelled `label`. */
export function buttonId(message: { components: readonly unknown[] }, label: string): string {
  const id = buttons(message).find((b) => b.label === label)?.custom_id;
  if (!id) throw new Error(`no ${label} button`);
  return id;
}

/** The image URL of every Thumbnail, in order. */
export function thumbnails(message: { components: readonly unknown[] }): string[] {
  return allComponents(message)
    .filter((c) => c.type === 11)
    .map((c) => String((c.media as Json | undefined)?.url));
}

/** The usernames a list's entries link to (`[@name](…)`), in order; the heading is not an entry. */
export function listedNames(message: { components: readonly unknown[] }): string[] {
  return [
    ...textDisplays(message)
      .slice(1)
      .join('\n')
      .matchAll(/\[@([^\]]+)\]\(/g),
  ].map((m) => String(m[1]).replace(/\\/g, ''));
}

/** Markdown as read: `**` dropped, a masked link shown as its label, escapes undone. */
export function plain(markdown: string): string {
  return markdown
    .replace(/(?<!\\)\*\*/g, '')
    .replace(/(?<!\\)\[([^\]]*)\]\([^)\s]*\)/g, '$1')
    .replace(/\\([^0-9A-Za-z\s])/g, '$1');
}

/** The first line of the first TextDisplay, as read: a list's title, a card's name. */
export function heading(message: { components: readonly unknown[] }): string {
  return plain(textDisplays(message)[0]?.split('\n')[0] ?? '');
}

/** A list's second heading line: `Page k of n · total`. */
export function pageLine(message: { components: readonly unknown[] }): string {
  return plain(textDisplays(message)[0]?.split('\n')[1] ?? '');
}

/** The first line of each TextDisplay after the first, as read: the entries' titles of an alert. */
export function entryTitles(message: { components: readonly unknown[] }): string[] {
  return textDisplays(message)
    .slice(1)
    .map((text) => plain(text.split('\n')[0] ?? ''));
}
