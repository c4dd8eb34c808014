// A virtualised list: only the rows in view (plus a margin) exist in the DOM, positioned through the
// CSSOM, so ten thousand samples scroll smoothly.
import { h } from '../dom';

export class VirtualList {
  readonly element: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly rows = new Map<number, HTMLElement>();
  private frame = 0;

  constructor(
    private count: number,
    private readonly rowHeight: number,
    private readonly renderRow: (i: number) => HTMLElement,
    private readonly onScroll?: (top: number) => void,
  ) {
    this.spacer = h('div', { class: 'vlist-spacer' });
    this.element = h('div', { class: 'vlist', attrs: { role: 'list', tabindex: '0' } }, this.spacer);
    this.spacer.style.height = `${count * rowHeight}px`;
    this.element.addEventListener('scroll', () => {
      if (this.frame) return;
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.draw();
        this.onScroll?.(this.element.scrollTop);
      });
    });
  }

  /** Draws the rows in view; call after the element is attached and sized. */
  draw(): void {
    const top = this.element.scrollTop;
    const height = this.element.clientHeight || 600;
    const first = Math.max(0, Math.floor(top / this.rowHeight) - 5);
    const last = Math.min(this.count - 1, Math.ceil((top + height) / this.rowHeight) + 5);
    for (const [i, el] of this.rows) {
      if (i < first || i > last) {
        el.remove();
        this.rows.delete(i);
      }
    }
    for (let i = first; i <= last; i++) {
      if (this.rows.has(i)) continue;
      const el = this.renderRow(i);
      el.classList.add('vlist-row');
      el.style.top = `${i * this.rowHeight}px`;
      el.style.height = `${this.rowHeight}px`;
      el.setAttribute('role', 'listitem');
      this.spacer.append(el);
      this.rows.set(i, el);
    }
  }

  /** Redraws every visible row (after a selection change). */
  refresh(): void {
    for (const el of this.rows.values()) el.remove();
    this.rows.clear();
    this.draw();
  }

  scrollTo(top: number): void {
    this.element.scrollTop = top;
    this.draw();
  }

  /** Scrolls so that row i is visible. */
  reveal(i: number): void {
    const y = i * this.rowHeight;
    const el = this.element;
    if (y < el.scrollTop || y + this.rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = Math.max(0, y - el.clientHeight / 2);
    this.draw();
  }
}
