/**
 * The pieces of a small CLIP: a synthetic world of coloured shapes rendered by our own code from the
 * seeded Rng, captions in English and Chinese, bag-of-tokens text features, and the symmetric
 * InfoNCE loss (as a float64 reference and as tensor ops), plus the seed answer's variant
 * (one direction, no log) for comparison.
 *
 * Shapes: N pairs in a batch, D embedding width, V text vocabulary, P = 16·16·3 pixels.
 */
import { tf } from '../../engine/tf.js';
import type { Rng } from '../../engine/rng.js';

export const SHAPES = ['circle', 'square', 'triangle', 'cross'] as const;
export const COLOURS = ['red', 'green', 'blue', 'yellow'] as const;
export const SIZES = ['small', 'large'] as const;
export const POSITIONS = ['left', 'middle', 'right'] as const;

export const IMG = 16;
export const PIXELS = IMG * IMG * 3;

/** One attribute combination: indices into SHAPES, COLOURS, SIZES, POSITIONS. */
export interface Combo {
  shape: number;
  colour: number;
  size: number;
  pos: number;
}

/** All 4·4·2·3 = 96 combinations, in a fixed order; `comboIndex` inverts it. */
export const COMBOS: Combo[] = [];
for (let shape = 0; shape < SHAPES.length; shape++)
  for (let colour = 0; colour < COLOURS.length; colour++)
    for (let size = 0; size < SIZES.length; size++) for (let pos = 0; pos < POSITIONS.length; pos++) COMBOS.push({ shape, colour, size, pos });
export const comboIndex = (c: Combo): number => ((c.shape * COLOURS.length + c.colour) * SIZES.length + c.size) * POSITIONS.length + c.pos;

const RGB: [number, number, number][] = [
  [0.9, 0.15, 0.15],
  [0.15, 0.75, 0.2],
  [0.2, 0.3, 0.95],
  [0.95, 0.85, 0.1],
];

/** Is the point (dx, dy) from the centre inside a shape of radius r? */
function inside(shape: number, dx: number, dy: number, r: number): boolean {
  switch (shape) {
    case 0:
      return dx * dx + dy * dy <= r * r;
    case 1:
      return Math.abs(dx) <= 0.85 * r && Math.abs(dy) <= 0.85 * r;
    case 2: {
      // apex up: y from −r (top) to r (base); half-width grows linearly to r at the base
      if (dy < -r || dy > 0.8 * r) return false;
      return Math.abs(dx) <= ((dy + r) / 1.8) * 1.0;
    }
    default: {
      const w = Math.max(0.45, r / 3);
      return (Math.abs(dx) <= r && Math.abs(dy) <= w) || (Math.abs(dy) <= r && Math.abs(dx) <= w);
    }
  }
}

/**
 * Render one 16×16 RGB image of a combination into `out` at `offset` (row-major, channel last,
 * values in [0, 1]): noisy dark background, jittered centre, size and colour, 2×2 supersampling.
 */
export function renderShape(c: Combo, rng: Rng, out: Float32Array, offset = 0): void {
  const r = (c.size === 0 ? 2.3 : 4.2) * rng.uniform(0.9, 1.1);
  const cx = [4.2, 8, 11.8][c.pos]! + rng.uniform(-0.7, 0.7);
  const cy = 8 + rng.uniform(-2.5, 2.5);
  const col = RGB[c.colour]!.map((v) => Math.min(1, Math.max(0, v + rng.uniform(-0.08, 0.08))));
  for (let y = 0; y < IMG; y++)
    for (let x = 0; x < IMG; x++) {
      let cover = 0;
      for (const sy of [0.25, 0.75]) for (const sx of [0.25, 0.75]) if (inside(c.shape, x + sx - cx, y + sy - cy, r)) cover += 0.25;
      const k = offset + (y * IMG + x) * 3;
      for (let ch = 0; ch < 3; ch++) {
        const bg = 0.1 + rng.uniform(-0.05, 0.05);
        out[k + ch] = bg * (1 - cover) + col[ch]! * cover;
      }
    }
}

const EN = {
  shape: ['circle', 'square', 'triangle', 'cross'],
  colour: ['red', 'green', 'blue', 'yellow'],
  size: ['small', 'large'],
  pos: ['left', 'middle', 'right'],
};
const ZH = {
  shape: ['圆', '方块', '三角', '十字'],
  colour: ['红', '绿', '蓝', '黄'],
  size: ['小', '大'],
  pos: ['左边', '中间', '右边'],
};

/** Caption templates; template 0 of each language is the zero-shot prompt. */
export const TEMPLATES: Record<'en' | 'zh', ((c: Combo) => string)[]> = {
  en: [
    (c) => `a ${EN.size[c.size]} ${EN.colour[c.colour]} ${EN.shape[c.shape]} on the ${EN.pos[c.pos]}`,
    (c) => `${EN.size[c.size]} ${EN.colour[c.colour]} ${EN.shape[c.shape]}, ${EN.pos[c.pos]} side`,
    (c) => `on the ${EN.pos[c.pos]} there is a ${EN.colour[c.colour]} ${EN.shape[c.shape]}, ${EN.size[c.size]}`,
  ],
  zh: [
    (c) => `${ZH.pos[c.pos]}的${ZH.size[c.size]}${ZH.colour[c.colour]}${ZH.shape[c.shape]}`,
    (c) => `一个${ZH.size[c.size]}${ZH.colour[c.colour]}${ZH.shape[c.shape]}在${ZH.pos[c.pos]}`,
    (c) => `${ZH.pos[c.pos]}有个${ZH.colour[c.colour]}色的${ZH.size[c.size]}${ZH.shape[c.shape]}`,
  ],
};

export function caption(c: Combo, lang: 'en' | 'zh', template = 0): string {
  return TEMPLATES[lang][template]!(c);
}

/** Tokens of a caption: lower-cased English words, single Chinese characters. */
export function tokenize(s: string): string[] {
  const out: string[] = [];
  for (const m of s.toLowerCase().matchAll(/[a-z]+|[\u4e00-\u9fff]/g)) out.push(m[0]);
  return out;
}

/** The vocabulary of every caption every template can produce, sorted. */
export function buildVocab(): Map<string, number> {
  const set = new Set<string>();
  for (const c of COMBOS) for (const lang of ['en', 'zh'] as const) for (let t = 0; t < TEMPLATES[lang].length; t++) for (const w of tokenize(caption(c, lang, t))) set.add(w);
  return new Map([...set].sort().map((w, i) => [w, i]));
}

/** Bag of tokens, L1-normalised (= mean of one-hot token vectors), written into out[offset .. offset+V). */
export function bagOfTokens(text: string, vocab: Map<string, number>, out: Float32Array, offset = 0): void {
  const toks = tokenize(text).filter((w) => vocab.has(w));
  for (const w of toks) out[offset + vocab.get(w)!]! += 1 / toks.length;
}

// ---------------------------------------------------------------------------------------------
// Losses

/** Row-wise log-softmax of a dense matrix (float64). */
function logSoftmaxRows(m: number[][]): number[][] {
  return m.map((row) => {
    const mx = Math.max(...row);
    const lse = mx + Math.log(row.reduce((s, v) => s + Math.exp(v - mx), 0));
    return row.map((v) => v - lse);
  });
}

/** Cosine-similarity logits scaled by `scale` (= 1/τ): a [N, D], b [N, D] (rows are L2-normalised here). */
export function scaledCosine(a: number[][], b: number[][], scale: number): number[][] {
  const norm = (v: number[]) => {
    const n = Math.hypot(...v) || 1;
    return v.map((x) => x / n);
  };
  const an = a.map(norm);
  const bn = b.map(norm);
  return an.map((u) => bn.map((v) => scale * u.reduce((s, x, k) => s + x * v[k]!, 0)));
}

/**
 * CLIP's symmetric InfoNCE in nats (float64 reference): the mean of the image→text and text→image
 * cross-entropies with the matching pair on the diagonal. Each direction is L_N of van den Oord et
 * al. 2018, so I(X;Y) ≥ log N − L_N.
 */
export function infoNCE64(img: number[][], txt: number[][], scale: number): { loss: number; i2t: number; t2i: number } {
  const logits = scaledCosine(img, txt, scale);
  const n = logits.length;
  const rows = logSoftmaxRows(logits);
  const cols = logSoftmaxRows(logits[0]!.map((_, j) => logits.map((r) => r[j]!)));
  let i2t = 0;
  let t2i = 0;
  for (let i = 0; i < n; i++) {
    i2t -= rows[i]![i]!;
    t2i -= cols[i]![i]!;
  }
  i2t /= n;
  t2i /= n;
  return { loss: (i2t + t2i) / 2, i2t, t2i };
}

/**
 * The seed answer's objective, max exp(sim(v,t)/τ) / Σ_t' exp(sim(v,t')/τ), written as a loss to
 * minimise: minus the mean matching probability, image→text only, no log (float64 reference).
 */
export function seedObjective64(img: number[][], txt: number[][], scale: number): number {
  const rows = logSoftmaxRows(scaledCosine(img, txt, scale));
  return -rows.reduce((s, r, i) => s + Math.exp(r[i]!), 0) / rows.length;
}

/** L2-normalise the rows of x [N, D]. */
export function l2normalize(x: tf.Tensor2D): tf.Tensor2D {
  return tf.div(x, tf.add(tf.norm(x, 'euclidean', 1, true), 1e-8)) as tf.Tensor2D;
}

/**
 * Tensor versions: `kind` 'clip' = symmetric InfoNCE; 'seed' = −mean softmax diagonal, image→text.
 * imgEmb [N, D], txtEmb [N, D] (unnormalised), logScale scalar: logits = exp(logScale)·cos.
 */
export function contrastiveLoss(imgEmb: tf.Tensor2D, txtEmb: tf.Tensor2D, logScale: tf.Tensor, kind: 'clip' | 'seed' = 'clip'): tf.Scalar {
  return tf.tidy(() => {
    const a = l2normalize(imgEmb);
    const b = l2normalize(txtEmb);
    const logits = tf.mul(tf.matMul(a, tf.transpose(b)), tf.exp(logScale)) as tf.Tensor2D; // [N, N]
    const n = logits.shape[0];
    const eye = tf.eye(n);
    const rowLsm = tf.logSoftmax(logits, 1);
    const diagRow = tf.sum(tf.mul(rowLsm, eye), 1); // log p(t_i | v_i)
    if (kind === 'seed') return tf.neg(tf.mean(tf.exp(diagRow))) as tf.Scalar;
    const colLsm = tf.logSoftmax(tf.transpose(logits), 1);
    const diagCol = tf.sum(tf.mul(colLsm, eye), 1); // log p(v_i | t_i)
    return tf.div(tf.add(tf.neg(tf.mean(diagRow)), tf.neg(tf.mean(diagCol))), 2) as tf.Scalar;
  });
}
