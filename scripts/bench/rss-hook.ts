import { appendFileSync } from 'node:fs';

// Preloaded with `node --import` into every measured process, so that peak
// memory and CPU time are read the same way for the bench's own parts, the
// experiments script and astro: as the kernel counted them for the process.
// Node passes --import on to the processes it forks (the experiments
// script's workers), so each appends its own line.
const file = process.env.BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    appendFileSync(file, `${JSON.stringify({ pid: process.pid, maxRssKiB: u.maxRSS, cpuSeconds: (u.userCPUTime + u.systemCPUTime) / 1e6 })}\n`);
  });
}
