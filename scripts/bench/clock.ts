// Wall clock and CPU time, started together. The bench reports speed per CPU
// second: the engines it times each compute on one thread, so on an idle
// machine the two clocks agree, while on a shared one CPU time leaves out the
// time other processes held the core. Wall time is shown beside it.

export interface Elapsed {
  seconds: number;
  /** User + system CPU time of this process (all its threads). */
  cpuSeconds: number;
}

export function clocks(): () => Elapsed {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(cpu);
    return { seconds: (performance.now() - wall) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
  };
}
