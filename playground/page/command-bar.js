// @ts-check
/**
 * The message bar, for slash commands only: suggestions above it as Discord shows them (commands,
 * subcommands, option names, then an option's values: its choices, the server's channels, roles
 * or members, or what Flock's autocomplete answers), arrows and Tab to pick, Enter to send.
 */
import { parseInput, replaceCurrentValue, replaceLastWord } from './command-parse.js';
import { el } from './markdown.js';

/**
 * @typedef {import('./command-parse.js').CommandDef} CommandDef
 * @typedef {import('./command-parse.js').OptionDef} OptionDef
 * @typedef {{ label: string, hint?: string, text: string }} Suggestion
 * @typedef {{ name: string, subcommand?: string, options: Record<string, string> }} Invocation
 * @typedef {{
 *   commands(): CommandDef[],
 *   channels(): { name: string }[], roles(): { name: string }[], members(): { username: string }[],
 *   send(invocation: Invocation): Promise<void>,
 *   autocomplete(invocation: Invocation, focused: string): Promise<{ name: string, value: string | number }[]>,
 * }} BarHost
 */

const TYPE = { boolean: 5, user: 6, channel: 7, role: 8, mentionable: 9 };

/**
 * @param {{ input: HTMLInputElement, popup: HTMLElement, error: HTMLElement }} parts
 * @param {BarHost} host
 */
export function commandBar({ input, popup, error }, host) {
  /** @type {Suggestion[]} */
  let items = [];
  let highlighted = -1;
  let asked = 0;

  /** @param {string} title @param {Suggestion[]} next @param {boolean} pickFirst */
  function show(title, next, pickFirst) {
    items = next.slice(0, 25);
    highlighted = pickFirst && items.length ? 0 : -1;
    popup.replaceChildren();
    popup.hidden = !items.length;
    if (!items.length) return;
    popup.append(el('div', 'popup-title', title));
    items.forEach((item, i) => {
      const row = el('div', i === highlighted ? 'suggestion active' : 'suggestion');
      row.setAttribute('role', 'option');
      row.append(el('span', 'suggestion-label', item.label));
      if (item.hint) row.append(el('span', 'suggestion-hint', item.hint));
      // mousedown, not click: the input keeps its focus.
      row.addEventListener('mousedown', (event) => {
        event.preventDefault();
        apply(item);
      });
      popup.append(row);
    });
  }

  /** @param {Suggestion} item */
  function apply(item) {
    input.value = item.text;
    void refresh();
  }

  /** @param {OptionDef} def @param {string} typed @returns {Suggestion[]} */
  function localValues(def, typed) {
    const lower = typed.trim().toLowerCase().replace(/^[#@]/, '');
    /** @param {string} label @param {string} text */
    const entry = (label, text) => ({ label, text });
    /** @type {Suggestion[]} */
    let all = [];
    if (def.choices?.length)
      all = def.choices.map((c) => ({ label: c.name, hint: String(c.value), text: String(c.value) }));
    else if (def.type === TYPE.channel) all = host.channels().map((c) => entry(`# ${c.name}`, `#${c.name}`));
    else if (def.type === TYPE.role)
      all = host.roles().map((r) => entry(r.name, r.name.startsWith('@') ? r.name : `@${r.name}`));
    else if (def.type === TYPE.user || def.type === TYPE.mentionable)
      all = host.members().map((m) => entry(`@${m.username}`, `@${m.username}`));
    else if (def.type === TYPE.boolean) all = [entry('True', 'true'), entry('False', 'false')];
    return all.filter(
      (s) =>
        s.label
          .toLowerCase()
          .replace(/^[#@] ?/, '')
          .startsWith(lower) || s.text.toLowerCase().startsWith(lower),
    );
  }

  async function refresh() {
    error.textContent = '';
    const text = input.value;
    const parsed = parseInput(text, host.commands());
    const ask = ++asked;
    if (parsed.stage === 'none' || parsed.stage === 'unknown') return show('', [], false);
    if (parsed.stage === 'command') {
      const found = host
        .commands()
        .flatMap((c) =>
          c.subcommands.length
            ? c.subcommands.map((s) => ({
                label: `/${c.name} ${s.name}`,
                hint: s.description,
                text: `/${c.name} ${s.name} `,
              }))
            : [{ label: `/${c.name}`, hint: c.description, text: `/${c.name} ` }],
        )
        .filter((s) => s.label.slice(1).startsWith(parsed.typed));
      return show('Commands', found, true);
    }
    if (parsed.stage === 'subcommand') {
      const { command, typed } = parsed;
      const found = command.subcommands
        .filter((s) => s.name.startsWith(typed))
        .map((s) => ({
          label: `/${command.name} ${s.name}`,
          hint: s.description,
          text: `/${command.name} ${s.name} `,
        }));
      return show(`/${command.name}`, found, true);
    }
    const names = parsed.defs
      .filter((d) => !(d.name in parsed.options) && d.name.startsWith(parsed.lastWord))
      .map((d) => ({
        label: `${d.name}${d.required ? '' : ' (optional)'}`,
        hint: d.description,
        text: replaceLastWord(text, parsed.lastWord, `${d.name}:`),
      }));
    const { current } = parsed;
    if (!current || parsed.endsWithSpace) return show('Options', names, false);
    /** @type {Suggestion[]} */
    let values = localValues(current, parsed.currentValue);
    if (current.autocomplete) {
      const invocation = {
        name: parsed.command.name,
        options: parsed.options,
        ...(parsed.subcommand ? { subcommand: parsed.subcommand } : {}),
      };
      const choices = await host.autocomplete(invocation, current.name).catch(() => []);
      if (ask !== asked) return; // something newer was typed meanwhile
      values = choices.map((c) => ({
        label: c.name,
        text: replaceCurrentValue(text, parsed.currentValue, String(c.value)),
      }));
    } else
      values = values.map((v) => ({ ...v, text: replaceCurrentValue(text, parsed.currentValue, v.text) }));
    show(
      `${current.name}${current.description ? `: ${current.description}` : ''}`,
      [...values, ...names],
      false,
    );
  }

  async function submit() {
    asked += 1; // suggestions still on their way are for text about to go
    let parsed = parseInput(input.value, host.commands());
    // `/link` and Enter: the name is complete even without the space that ends it.
    if (parsed.stage === 'command') parsed = parseInput(`${input.value} `, host.commands());
    if (parsed.stage !== 'options') {
      error.textContent =
        parsed.stage === 'unknown'
          ? `There is no /${parsed.typed} command here.`
          : 'Type / and pick a command.';
      return;
    }
    const invocation = {
      name: parsed.command.name,
      options: parsed.options,
      ...(parsed.subcommand ? { subcommand: parsed.subcommand } : {}),
    };
    try {
      await host.send(invocation);
      input.value = '';
      show('', [], false);
    } catch (e) {
      error.textContent = /** @type {Error} */ (e).message;
    }
  }

  /** @param {number} step */
  function move(step) {
    if (!items.length) return;
    highlighted = (highlighted + step + items.length) % items.length;
    for (const [i, row] of [...popup.querySelectorAll('.suggestion')].entries())
      row.classList.toggle('active', i === highlighted);
  }

  input.addEventListener('input', () => void refresh());
  input.addEventListener('focus', () => void refresh());
  input.addEventListener('blur', () => show('', [], false));
  input.addEventListener('keydown', (event) => {
    const item = items[highlighted];
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      move(event.key === 'ArrowDown' ? 1 : -1);
    } else if (event.key === 'Tab' && items.length) {
      event.preventDefault();
      apply(item ?? /** @type {Suggestion} */ (items[0]));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (item) apply(item);
      else void submit();
    } else if (event.key === 'Escape') show('', [], false);
  });
  return { refresh };
}
