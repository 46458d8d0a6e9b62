import { mnistWorkload, defaultSpec } from './datasets.ts';
import { benchTraining } from './training.ts';
import { loadData } from '../../src/data/index.ts';
const [engine, loop] = process.argv.slice(2);
const spec = defaultSpec({ epochs: 3 });
const w = { name: 'x', spec, data: loadData(spec.dataset) };
const r = await benchTraining(engine as any, loop as any, w);
console.log(loop, r.samplesPerSecond.toFixed(0), r.seconds.toFixed(2));
