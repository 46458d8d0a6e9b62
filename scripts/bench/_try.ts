import { mnistWorkload, fashionWorkload } from '/work/main/scripts/bench/datasets.ts';
import { benchTraining } from '/work/main/scripts/bench/training.ts';
const [engine, loop, ds] = process.argv.slice(2);
let t = performance.now();
const w = ds === 'fashion' ? fashionWorkload(false, 1) : mnistWorkload(false);
console.log('load', performance.now() - t, w.data.train.count, w.data.test.count);
const r = await benchTraining(engine as any, loop as any, w);
console.log(JSON.stringify(r), process.resourceUsage().maxRSS);
