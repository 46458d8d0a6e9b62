import { writeFileSync } from 'node:fs';

// Preloaded with `node --import` into every measured process, so that peak
// memory is read the same way for the bench's own parts, the experiments
// script and astro: the process's max RSS as the kernel counted it.
const file = process.env.BENCH_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
