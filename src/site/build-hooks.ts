import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { cacheStats, pruneFigureCache } from '../util/cache-store.ts';
import { folderState } from '../util/file-digest.ts';

// What the site's build does around Astro's: its output folder kept from one
// build to the next, and the figure store's count and pruning.

/** Every file under a folder, relative to it. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => statSync(join(dir, f)).isFile());
}

/** Removes the folders left empty under `dir` (deepest first), not `dir` itself. */
function removeEmptyFolders(dir: string): void {
  const folders = readdirSync(dir, { recursive: true })
    .map((f) => join(dir, String(f)))
    .filter((f) => statSync(f).isDirectory())
    .sort((a, b) => b.length - a.length);
  for (const f of folders) if (readdirSync(f).length === 0) rmdirSync(f);
}

/**
 * The output folder is not emptied before each build (the config sets
 * `vite.build.emptyOutDir: false`), so that the files Astro's incremental
 * build skips stay where they are instead of being removed and copied back
 * from its cache. That is safe only while the folder holds what the last
 * complete build left, so:
 *   - a marker in Astro's cache folder records the folder's state (its
 *     files' paths, sizes and times) when the last build into it completed;
 *     when the folder is not in that state (a first build, a build killed or
 *     failed halfway, a build with another cache folder, a hand edit), it is
 *     emptied first, as Astro would, and every page Astro skips is copied
 *     from its cache;
 *   - at the end, every file this build neither wrote nor kept (a removed
 *     experiment's pages, old bundles) is deleted: Astro lists the files of
 *     every page it rendered or skipped; the public files and the bundles
 *     were written during this build.
 */
export function keepOutput(): AstroIntegration {
  let outDir = '';
  let marker = '';
  let publicDir = '';
  let started = 0;
  return {
    name: 'chemins:keep-output',
    hooks: {
      'astro:config:done': ({ config }) => {
        outDir = fileURLToPath(config.outDir);
        publicDir = fileURLToPath(config.publicDir);
        marker = join(fileURLToPath(config.cacheDir), 'chemins-output.json');
      },
      'astro:build:start': ({ logger }) => {
        started = Date.now();
        let kept = false;
        try {
          const m = JSON.parse(readFileSync(marker, 'utf8')) as { outDir?: string; state?: string };
          kept = m.outDir === outDir && m.state === folderState(outDir);
        } catch {
          // no marker: not kept
        }
        if (!kept && existsSync(outDir) && readdirSync(outDir).some((f) => f !== '.git')) {
          for (const f of readdirSync(outDir)) if (f !== '.git') rmSync(join(outDir, f), { recursive: true, force: true });
          logger.info(`${outDir} emptied: it is not as the last complete build with this cache left it`);
        }
        mkdirSync(join(marker, '..'), { recursive: true });
        writeFileSync(marker, JSON.stringify({ outDir, state: null }));
      },
      'astro:build:done': ({ assets, logger }) => {
        const kept = new Set<string>();
        for (const urls of assets.values()) for (const url of urls) kept.add(relative(outDir, fileURLToPath(url)));
        const published = new Set(filesUnder(publicDir));
        // A second earlier, for file systems that store times in whole seconds.
        const since = started - 1000;
        let removed = 0;
        for (const f of filesUnder(outDir)) {
          if (kept.has(f) || published.has(f) || f.startsWith('.git/')) continue;
          if (statSync(join(outDir, f)).mtimeMs >= since) continue;
          rmSync(join(outDir, f));
          removed++;
        }
        if (existsSync(outDir)) removeEmptyFolders(outDir);
        if (removed) logger.info(`${removed} file(s) no page of this build makes removed from ${outDir}`);
        writeFileSync(marker, JSON.stringify({ outDir, state: folderState(outDir) }));
      },
    },
  };
}

/** Says how many PNGs and PDFs were drawn and how many read from the figure store (src/util/cache-store.ts), and prunes it. */
export function figureStore(): AstroIntegration {
  return {
    name: 'chemins:figure-store',
    hooks: {
      'astro:build:done': ({ logger }) => {
        const pruned = pruneFigureCache();
        logger.info(`figure files: ${cacheStats.misses} drawn, ${cacheStats.hits} from the store${pruned ? `; ${pruned} unused for two weeks removed` : ''}`);
      },
    },
  };
}
