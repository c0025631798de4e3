// @ts-check
/**
 * A form Flock opened (a modal): its title, its text inputs (in action rows, or in V2 labels),
 * Cancel and Submit. Submitting hands the values back by each input's custom_id.
 */
import { el } from './markdown.js';

/** @typedef {Record<string, any>} Json */

/** Text inputs wherever the form puts them: an action row's child, or a label's component. @param {Json} modal */
function textInputs(modal) {
  /** @type {{ input: Json, label: string }[]} */
  const found = [];
  for (const top of modal.components ?? []) {
    if (top.type === 1)
      for (const c of top.components ?? [])
        if (c.type === 4) found.push({ input: c, label: String(c.label ?? '') });
    if (top.type === 18 && top.component?.type === 4)
      found.push({ input: top.component, label: String(top.label ?? '') });
  }
  return found;
}

/**
 * @param {HTMLDialogElement} dialog
 * @param {Json} modal
 * @param {(fields: Record<string, string>) => Promise<void>} submit
 */
export function openModal(dialog, modal, submit) {
  const form = /** @type {HTMLFormElement} */ (el('form', 'modal-form'));
  form.append(el('h2', 'modal-title', String(modal.title ?? '')));
  /** @type {[string, HTMLInputElement | HTMLTextAreaElement][]} */
  const fields = [];
  for (const { input, label } of textInputs(modal)) {
    const id = `field-${fields.length}`;
    const caption = /** @type {HTMLLabelElement} */ (el('label', 'modal-label', label));
    caption.htmlFor = id;
    const box = /** @type {HTMLInputElement | HTMLTextAreaElement} */ (
      el(input.style === 2 ? 'textarea' : 'input', 'modal-input')
    );
    box.id = id;
    box.required = input.required !== false;
    if (input.placeholder) box.placeholder = String(input.placeholder);
    if (input.max_length) box.maxLength = Number(input.max_length);
    if (input.min_length) box.minLength = Number(input.min_length);
    if (input.value) box.value = String(input.value);
    fields.push([String(input.custom_id), box]);
    form.append(caption, box);
  }
  const error = el('div', 'modal-error');
  const buttons = el('div', 'modal-buttons');
  const cancel = /** @type {HTMLButtonElement} */ (el('button', 'button link-like', 'Cancel'));
  cancel.type = 'button';
  cancel.addEventListener('click', () => dialog.close());
  const send = /** @type {HTMLButtonElement} */ (el('button', 'button primary', 'Submit'));
  send.type = 'submit';
  buttons.append(cancel, send);
  form.append(error, buttons);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit(Object.fromEntries(fields.map(([id, box]) => [id, box.value])))
      .then(() => dialog.close())
      .catch((/** @type {Error} */ e) => {
        error.textContent = e.message;
      });
  });
  dialog.replaceChildren(form);
  dialog.showModal();
  fields[0]?.[1].focus();
}
