// Thumbnails cut from the experiment's sprite sheet (inputs.png: row r at
// column r mod `columns`, line ⌊r / columns⌋), drawn by CSS: one image for
// every thumbnail on the page.

export interface Sprite {
  columns: number;
  width: number;
  height: number;
}

/** An element showing input `row`'s image at `scale` times its size. */
export function thumb(sprite: Sprite, row: number, scale = 2): HTMLSpanElement {
  const el = document.createElement('span');
  el.className = 'thumb';
  const w = sprite.width * scale;
  const hgt = sprite.height * scale;
  el.style.width = `${w}px`;
  el.style.height = `${hgt}px`;
  el.style.backgroundSize = `${sprite.columns * w}px auto`;
  el.style.backgroundPosition = `${-(row % sprite.columns) * w}px ${-Math.floor(row / sprite.columns) * hgt}px`;
  return el;
}
