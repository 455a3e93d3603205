/** Vega-Lite figures of a training run (browser-safe). */
import { lineChart, type Row, type Spec } from '../report/charts.js';
import type { Text } from '../report/i18n.js';
import type { TrainHistory } from './train.js';

/** Chinese names of the built-in corpora (the English side keeps the corpus id) */
const CORPUS_ZH: Record<string, string> = { shakespeare: '莎士比亚', tang: '唐诗', song: '宋词' };

/** "baby · shakespeare": the model config and the corpus, for a loss curve's title, in both languages */
export function runTitle(config: string, corpus: string): Text {
  return { en: `${config} · ${corpus}`, zh: `${config} · ${CORPUS_ZH[corpus] ?? corpus}` };
}

/** nanoGPT's published baby-GPT result on tiny shakespeare, drawn as a rule */
const NANOGPT_BABY: { value: number; label: Text } = { value: 1.88, label: { en: 'nanoGPT baby, val 1.88 nats', zh: 'nanoGPT baby：验证 1.88 奈特' } };

/** Train loss (smoothed over `window` steps) and validation loss in nats, with nanoGPT's 1.88 as a rule. */
export function lossCurveSpec(h: TrainHistory, opts: { title?: Text; reference?: { value: number; label: Text } | null; window?: number } = {}): Spec {
  const w = opts.window ?? Math.max(1, Math.round(h.loss.length / 100));
  const train: Text = w > 1 ? { en: `train (mean of ${w} steps)`, zh: `训练（每 ${w} 步的均值）` } : { en: 'train', zh: '训练' };
  const validation: Text = { en: 'validation', zh: '验证' };
  const rows: Row[] = [];
  for (let i = w - 1; i < h.loss.length; i += w) {
    let s = 0;
    for (let j = i - w + 1; j <= i; j++) s += h.loss[j]!;
    rows.push({ step: i + 1, loss: s / w, split: train });
  }
  for (const v of h.val) rows.push({ step: v.step, loss: v.loss, split: validation });
  const ref = opts.reference === undefined ? NANOGPT_BABY : opts.reference;
  const spec = lineChart({
    title: opts.title ?? { en: 'Training and validation loss', zh: '训练与验证损失' },
    data: rows,
    x: { field: 'step', title: { en: 'step', zh: '步数' } },
    y: { field: 'loss', title: { en: 'loss (nats / character)', zh: '损失（奈特/字符）' } },
    color: { field: 'split', title: { en: 'split', zh: '数据' } },
    ...(ref ? { rules: [{ y: ref.value, label: ref.label }] } : {}),
  });
  // train blue, validation orange in both languages (a nominal scale would sort the localized names)
  const enc = ((spec.layer as Spec[])[0]!.encoding as Spec).color as Spec;
  enc.scale = { domain: [train, validation] };
  return spec;
}
