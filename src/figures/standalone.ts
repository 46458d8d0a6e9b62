/**
 * Makes an inline SVG stand on its own as a file: its namespace declared, no
 * colour inherited from a page (`currentColor`), a white background and the
 * font named, so a thesis or a slide shows it as the site does.
 */
export function standaloneSvg(svg: string, ink = '#1d1d1f'): string {
  const body = svg
    .replace(/^<svg /, '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ')
    .replace(/currentColor/g, ink)
    .replace(/var\(--plot-background, white\)/g, 'white');
  return `<?xml version="1.0" encoding="UTF-8"?>\n${body.replace(/(<svg[^>]*>)/, '$1<rect width="100%" height="100%" fill="white"/>')}\n`;
}
