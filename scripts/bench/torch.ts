import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { classIndex } from '../../src/model/train.ts';
import { timing, type TrainTiming } from './training.ts';
import type { Workload } from './datasets.ts';
import { findPython, runPinned } from './python.ts';

// PyTorch as a peer on the same MLP, data, optimizer and batch size, pinned
// to one thread as TF.js's wasm and cpu engines are. Only where Debian's
// python3-torch (or another torch) imports: the bench never depends on it.

const SCRIPT = String.raw`
import json, resource, sys, time
import numpy as np
import torch
torch.set_num_threads(1)
torch.manual_seed(1)
d, hidden, classes, epochs, batch, lr = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6])
load = lambda name, dtype: torch.from_numpy(np.fromfile(f"{d}/{name}", dtype=dtype))
start, cpu = time.perf_counter(), time.process_time()
x, y = load("x.f32", np.float32), load("y.i32", np.int32).long()
xt, yt = load("xt.f32", np.float32), load("yt.i32", np.int32).long()
x, xt = x.view(len(y), -1), xt.view(len(yt), -1)
layers, width = [], x.shape[1]
for units in hidden:
    layers += [torch.nn.Linear(width, units), torch.nn.ReLU()]
    width = units
model = torch.nn.Sequential(*layers, torch.nn.Linear(width, classes))
opt = torch.optim.Adam(model.parameters(), lr=lr)
loss_fn = torch.nn.CrossEntropyLoss()
for epoch in range(epochs):
    order = torch.randperm(len(y))
    for b in range(0, len(y), batch):
        idx = order[b:b + batch]
        opt.zero_grad()
        loss = loss_fn(model(x[idx]), y[idx])
        loss.backward()
        opt.step()
    # As trainModel does each epoch: loss and accuracy of the whole train and test splits.
    with torch.no_grad():
        train_loss = loss_fn(model(x), y).item()
        accuracy = (model(xt).argmax(1) == yt).float().mean().item()
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
blas = sorted({line.split()[-1].split("/")[-1] for line in open("/proc/self/maps") if any(k in line for k in ("blas", "mkl")) and len(line.split()) > 5})
params = sum(p.numel() for p in model.parameters())
print(json.dumps({"seconds": seconds, "cpuSeconds": cpu, "params": params, "testAccuracy": accuracy, "maxRssKiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "version": torch.__version__, "blas": blas}))
`;

/** The first Python here that imports torch. */
export const findTorch = () => findPython('import torch; print(torch.__version__)');

export interface TorchTiming extends TrainTiming {
  maxRssMiB: number;
  /** The BLAS libraries torch loaded: its matrix products run there, so its speed depends on which one the system provides. */
  blas: string[];
}

export function benchTorch(python: string, { spec, data }: Workload, dir: string): TorchTiming {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'x.f32'), data.train.x);
  writeFileSync(join(dir, 'y.i32'), classIndex(data.train, data.classes));
  writeFileSync(join(dir, 'xt.f32'), data.test.x);
  writeFileSync(join(dir, 'yt.i32'), classIndex(data.test, data.classes));
  const { epochs, batchSize, learningRate } = spec.training;
  const args = [dir, JSON.stringify(spec.model.hidden), String(data.classes.length), String(epochs), String(batchSize), String(learningRate)];
  // One thread for every threading layer torch may go through, its BLAS's included.
  const out = runPinned<{ seconds: number; cpuSeconds: number; params: number; testAccuracy: number; maxRssKiB: number; version: string; blas: string[] }>(
    python,
    SCRIPT,
    args,
    300_000,
  );
  return {
    ...timing(`PyTorch ${out.version}, 1 thread`, 'plain loop', epochs * data.train.count, out, out.params, null, out.testAccuracy),
    maxRssMiB: out.maxRssKiB / 1024,
    blas: out.blas,
  };
}
