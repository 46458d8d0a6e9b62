import { h } from './dom.ts';
import { thumb, type Sprite } from './thumbs.ts';
import { countText, say } from './words.ts';

// The selected inputs' thumbnails, each a button that opens the input. The
// first `PAGE` are drawn at once, the rest on request.

const PAGE = 300;

export interface GalleryItem {
  row: number;
  label: number;
  id: string;
  /** What a screen reader says of it, and its tooltip. */
  description: string;
  wrong: boolean;
}

export class Gallery {
  private root: HTMLElement;
  private list: HTMLElement;
  private more: HTMLButtonElement;
  private caption: HTMLElement;
  private items: GalleryItem[] = [];
  private shown = 0;
  private sprite: Sprite;

  constructor(root: HTMLElement, sprite: Sprite, open: (row: number) => void) {
    this.root = root;
    this.sprite = sprite;
    this.caption = h('p', { class: 'gallery-caption', 'aria-live': 'polite' });
    this.list = h('ul', { class: 'gallery-list' });
    this.more = h('button', { type: 'button', class: 'more', hidden: '' });
    this.more.addEventListener('click', () => this.page(this.items.length));
    root.append(this.caption, this.list, this.more);
    this.list.addEventListener('click', (e) => {
      const b = (e.target as Element).closest('button[data-row]');
      if (b) open(Number(b.getAttribute('data-row')));
    });
  }

  render(items: GalleryItem[], caption: string, current: number | null) {
    this.items = items;
    this.shown = 0;
    this.caption.textContent = caption;
    this.list.replaceChildren();
    this.page(PAGE, current);
  }

  private page(upTo: number, current: number | null = null) {
    const frag = document.createDocumentFragment();
    const end = Math.min(this.items.length, Math.max(upTo, this.shown));
    for (let i = this.shown; i < end; i++) {
      const it = this.items[i];
      const b = h('button', {
        type: 'button',
        class: it.wrong ? 'wrong' : '',
        'data-row': String(it.row),
        'data-label': String(it.label),
        'data-id': it.id,
        'aria-label': it.description,
        title: it.description,
      });
      if (it.row === current) b.setAttribute('aria-current', 'true');
      b.append(thumb(this.sprite, it.row, 1.5));
      frag.append(h('li', {}, b));
    }
    this.list.append(frag);
    this.shown = end;
    const left = this.items.length - this.shown;
    this.more.hidden = left <= 0;
    this.more.textContent = say(`Show the other ${countText(left)}`, `Montrer les ${countText(left)} autres`);
  }

  markCurrent(row: number | null) {
    for (const b of this.root.querySelectorAll('button[aria-current]')) b.removeAttribute('aria-current');
    if (row !== null) this.root.querySelector(`button[data-row="${row}"]`)?.setAttribute('aria-current', 'true');
  }
}
