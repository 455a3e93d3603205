/** Vega-Lite figures of a training run (browser-safe). */
import { lineChart, type Row, type Spec } from '../report/charts.js';
import type { TrainHistory } from './train.js';

/** Train loss (smoothed over `window` steps) and validation loss in nats, with nanoGPT's 1.88 as a rule. */
export function lossCurveSpec(h: TrainHistory, opts: { title?: string; reference?: { value: number; label: string } | null; window?: number } = {}): Spec {
  const w = opts.window ?? Math.max(1, Math.round(h.loss.length / 100));
  const rows: Row[] = [];
  for (let i = w - 1; i < h.loss.length; i += w) {
    let s = 0;
    for (let j = i - w + 1; j <= i; j++) s += h.loss[j]!;
    rows.push({ step: i + 1, loss: s / w, split: 'train (mean of ' + w + ' steps)' });
  }
  for (const v of h.val) rows.push({ step: v.step, loss: v.loss, split: 'validation' });
  const ref = opts.reference === undefined ? { value: 1.88, label: 'nanoGPT baby, val 1.88 nats' } : opts.reference;
  return lineChart({
    title: opts.title ?? 'Training and validation loss',
    data: rows,
    x: { field: 'step', title: 'step' },
    y: { field: 'loss', title: 'loss (nats / character)' },
    color: { field: 'split', title: 'split' },
    ...(ref ? { rules: [{ y: ref.value, label: ref.label }] } : {}),
  });
}
