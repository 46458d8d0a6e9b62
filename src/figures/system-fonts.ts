import { readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { sha256 } from '../util/hash.ts';

// resvg draws a PNG's text in the figure's own font files (fonts.ts) but may
// fall back on the system's for a glyph they lack: what is installed is part
// of what a PNG is made from (asset-cache.ts, and the site's fingerprint).

/** Standard font folders (fontdb's on Linux): their files' paths, sizes and times, walked once per build. */
const FONT_DIRS = [
  '/usr/share/fonts',
  '/usr/local/share/fonts',
  join(homedir(), '.fonts'),
  join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local/share'), 'fonts'),
];
let systemFonts: string | undefined;

export function systemFontsDigest(): string {
  if (systemFonts !== undefined) return systemFonts;
  const seen: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 8) return;
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      try {
        const s = statSync(path);
        if (s.isDirectory()) walk(path, depth + 1);
        else if (/\.(ttf|otf|ttc|otc|pfb|pfa|woff2?)$/i.test(name)) seen.push(`${path}\t${s.size}\t${s.mtimeMs}`);
      } catch {
        // a dangling link: no font
      }
    }
  };
  for (const dir of FONT_DIRS) walk(dir, 0);
  systemFonts = sha256(seen.join('\n'));
  return systemFonts;
}
