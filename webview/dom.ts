// Tiny DOM helpers. Nodes are built with createElement and textContent only (no HTML strings), and
// inline styles go through the CSSOM, which the webview's CSP allows (style attributes in markup it does not).
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import type { VscodeSingleSelect } from '@vscode-elements/elements/dist/vscode-single-select/vscode-single-select.js';

type Child = Node | string | number | null | undefined | false;

export interface Props {
  class?: string;
  text?: string;
  title?: string;
  attrs?: Record<string, string>;
  data?: Record<string, string>;
  on?: Partial<{ [K in keyof HTMLElementEventMap]: (e: HTMLElementEventMap[K]) => void }>;
}

/** Creates an element with optional props and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props | null = null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props) {
    if (props.class) el.className = props.class;
    if (props.text !== undefined) el.textContent = props.text;
    if (props.title) el.title = props.title;
    if (props.attrs) for (const [k, v] of Object.entries(props.attrs)) el.setAttribute(k, v);
    if (props.data) for (const [k, v] of Object.entries(props.data)) el.dataset[k] = v;
    if (props.on) {
      for (const [k, fn] of Object.entries(props.on)) el.addEventListener(k, fn as EventListener);
    }
  }
  append(el, ...children);
  return el;
}

/** Appends children, skipping empty ones. */
export function append(el: Element, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'number' ? String(c) : c);
  }
}

/** A codicon (from @vscode/codicons, bundled with the dashboard's CSS). */
export function icon(name: string, title?: string): HTMLSpanElement {
  const s = h('span', { class: `codicon codicon-${name}`, attrs: { 'aria-hidden': title ? 'false' : 'true' } });
  if (title) {
    s.title = title;
    s.setAttribute('aria-label', title);
  }
  return s;
}

/** A `<vscode-single-select>` with options; calls `onChange` with the chosen value. */
export function select(options: { value: string; label: string }[], value: string, onChange: (v: string) => void, label?: string): HTMLElement {
  const sel = document.createElement('vscode-single-select') as VscodeSingleSelect;
  for (const o of options) {
    const opt = document.createElement('vscode-option');
    opt.setAttribute('value', o.value);
    opt.textContent = o.label;
    if (o.value === value) opt.setAttribute('selected', '');
    sel.append(opt);
  }
  if (label) sel.setAttribute('aria-label', label);
  sel.addEventListener('change', () => onChange(sel.value));
  if (!label) return sel;
  return h('label', { class: 'control' }, h('span', { class: 'control-label', text: label }), sel);
}

/** A `<vscode-button>`; secondary buttons are the quieter kind. */
export function button(text: string, onClick: () => void, opts: { secondary?: boolean; disabled?: boolean; title?: string; icon?: string } = {}): HTMLElement {
  const b = document.createElement('vscode-button');
  if (opts.secondary) b.setAttribute('secondary', '');
  if (opts.disabled) b.setAttribute('disabled', '');
  if (opts.title) b.title = opts.title;
  if (opts.icon) b.append(icon(opts.icon), ' ');
  b.append(text);
  b.addEventListener('click', () => {
    if (!b.hasAttribute('disabled')) onClick();
  });
  return b;
}

/** A titled section. */
export function section(title: string, ...children: Child[]): HTMLElement {
  return h('section', { class: 'card' }, h('h3', { text: title }), ...children);
}

/** The message shown where a view has nothing to draw. */
export function emptyState(iconName: string, title: string, detail?: string): HTMLElement {
  return h('div', { class: 'empty' }, icon(iconName), h('div', { class: 'empty-title', text: title }), detail ? h('div', { class: 'empty-detail', text: detail }) : null);
}

/** Removes every child. */
export function clear(el: Element): void {
  while (el.firstChild) el.firstChild.remove();
}
