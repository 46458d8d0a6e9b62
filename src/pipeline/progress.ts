import type { EpochRecord } from '../model/types.ts';
import type { Stage } from './run.ts';

// Live progress on a terminal (one line redrawn in place), plain lines
// elsewhere (CI logs), so that both stay readable.

export interface Progress {
  stage(id: string, stage: Stage): void;
  batch(id: string, epoch: number, epochs: number, batch: number, batches: number): void;
  epoch(id: string, record: EpochRecord, epochs: number): void;
  line(text: string): void;
}

function bar(fraction: number, width = 24): string {
  const full = Math.round(fraction * width);
  return `[${'#'.repeat(full)}${'.'.repeat(width - full)}]`;
}

export function createProgress(stream: NodeJS.WriteStream = process.stdout): Progress {
  const tty = stream.isTTY === true;
  let lastLoss = NaN;
  let pending = '';
  const redraw = (text: string) => {
    if (!tty) return;
    pending = text;
    stream.write(`\r\x1b[2K${text}`);
  };
  const line = (text: string) => {
    if (tty && pending) stream.write('\r\x1b[2K');
    pending = '';
    stream.write(`${text}\n`);
  };
  return {
    stage(id, stage) {
      if (stage === 'train') lastLoss = NaN;
      line(`  ${id} · ${stage}`);
    },
    batch(id, epoch, epochs, batchIndex, batches) {
      const done = (epoch - 1 + batchIndex / batches) / epochs;
      redraw(`  ${id} · train ${bar(done)} epoch ${epoch}/${epochs}${Number.isNaN(lastLoss) ? '' : ` · loss ${lastLoss.toFixed(4)}`}`);
    },
    epoch(id, r, epochs) {
      lastLoss = r.loss;
      const text = `  ${id} · train ${bar(r.epoch / epochs)} epoch ${r.epoch}/${epochs} · loss ${r.loss.toFixed(4)} · acc ${(100 * r.accuracy).toFixed(1)} % · test acc ${(100 * r.testAccuracy).toFixed(1)} %`;
      if (tty) redraw(text);
      else line(text);
      if (tty && r.epoch === epochs) line(text);
    },
    line,
  };
}
