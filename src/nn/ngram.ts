/**
 * Character n-gram models, the oldest language models: counts of what follows each context.
 *
 * - `plugInConditionalEntropy`: Shannon's F_N — the entropy of the next character given the N−1
 *   before it, estimated by plugging in the observed frequencies: H(N-grams) − H((N−1)-grams).
 *   It is biased low: with enough context every continuation looks certain.
 * - `KneserNey`: interpolated Kneser–Ney (Kneser & Ney 1995; Chen & Goodman 1998): absolute
 *   discounting at every order, interpolated with a lower order estimated from *continuation*
 *   counts (how many different characters precede a string), down to a uniform distribution over
 *   the alphabet plus one "unknown" symbol — so every character, seen or not, gets probability > 0.
 *
 * Characters are Unicode code points (so 唐诗 counts one character per hanzi, not three bytes).
 */

/** The text as an array of code points (strings of one character). */
export function codePoints(text: string): string[] {
  return Array.from(text);
}

/** Count-of-counts discount of Ney et al.: D = n1 / (n1 + 2·n2), clamped to (0, 1). */
function neyDiscount(counts: Iterable<number>): number {
  let n1 = 0;
  let n2 = 0;
  for (const c of counts) {
    if (c === 1) n1++;
    else if (c === 2) n2++;
  }
  if (n1 === 0) return 0.5;
  return Math.min(0.95, Math.max(0.05, n1 / (n1 + 2 * n2)));
}

/** Per-context totals at one level: Σ_w c(h,w) and the number of distinct w. */
interface ContextStats {
  total: number;
  types: number;
}

interface Level {
  /** counts of (h + w), h of this level's length */
  grams: Map<string, number>;
  contexts: Map<string, ContextStats>;
  discount: number;
}

function buildLevel(grams: Map<string, number>, k: number): Level {
  const contexts = new Map<string, ContextStats>();
  for (const [g, c] of grams) {
    const h = g.slice(0, g.length - lastLen(g));
    const s = contexts.get(h);
    if (s) {
      s.total += c;
      s.types += 1;
    } else contexts.set(h, { total: c, types: 1 });
  }
  void k;
  return { grams, contexts, discount: neyDiscount(grams.values()) };
}

/** Length in UTF-16 units of the last code point of s. */
function lastLen(s: string): number {
  const c = s.charCodeAt(s.length - 1);
  return c >= 0xdc00 && c <= 0xdfff && s.length >= 2 ? 2 : 1;
}

/** Counts of every n-gram (joined string) of one length n in a code-point array. */
export function countNGramsOfLength(chars: readonly string[], n: number): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i + n <= chars.length; i++) {
    let g = chars[i]!;
    for (let j = 1; j < n; j++) g += chars[i + j]!;
    m.set(g, (m.get(g) ?? 0) + 1);
  }
  return m;
}

/**
 * Raw n-gram counts for n = 1..maxN over a code-point array: result[n-1] maps each n-gram
 * (joined string) to its count.
 */
export function countNGrams(chars: readonly string[], maxN: number): Map<string, number>[] {
  const out: Map<string, number>[] = [];
  for (let n = 1; n <= maxN; n++) out.push(countNGramsOfLength(chars, n));
  return out;
}

/** Plug-in entropy (bits) of a count table. */
export function plugInEntropyBits(counts: Iterable<number>): number {
  let total = 0;
  const cs: number[] = [];
  for (const c of counts) {
    total += c;
    cs.push(c);
  }
  let h = 0;
  for (const c of cs) if (c > 0) h -= (c / total) * Math.log2(c / total);
  return h;
}

/**
 * Shannon's F_N for N = 1..maxN from raw counts: F_1 = H(1-grams), F_N = H(N-grams) − H((N−1)-grams).
 * Returns an array indexed by context length n = N − 1 (so index 0 is the unigram entropy F_1).
 */
export function plugInConditionalEntropy(grams: Map<string, number>[]): number[] {
  const H = grams.map((g) => plugInEntropyBits(g.values()));
  return H.map((h, i) => (i === 0 ? h : h - H[i - 1]!));
}

/** Interpolated Kneser–Ney character model of a given order (context length). */
export class KneserNey {
  /** context length: 0 = unigram */
  readonly order: number;
  /** the training alphabet (code points) */
  readonly alphabet: Set<string>;
  /** levels[k] has contexts of length k (k = 0..order) */
  private readonly levels: Level[];
  /** uniform floor: 1 / (|alphabet| + 1), the +1 for every unseen character */
  private readonly uniform: number;

  /**
   * @param train the training text (or its code points)
   * @param order context length (0 = unigram)
   * @param grams optional precomputed `countNGrams(train, order + 2)` to share between orders
   */
  constructor(train: string | readonly string[], order: number, grams?: Map<string, number>[]) {
    if (!Number.isInteger(order) || order < 0) throw new Error(`order must be a non-negative integer, got ${order}`);
    const chars = typeof train === 'string' ? codePoints(train) : train;
    if (chars.length === 0) throw new Error('cannot fit an n-gram model to an empty text');
    this.order = order;
    const g = grams && grams.length >= order + 1 ? grams : countNGrams(chars, order + 1);
    this.alphabet = new Set(g[0]!.keys());
    this.uniform = 1 / (this.alphabet.size + 1);
    this.levels = [];
    for (let k = 0; k <= order; k++) {
      // highest level: raw counts; lower levels: continuation counts N1+(• h w)
      const grams = k === order ? g[k]! : continuationCounts(g[k + 1]!);
      this.levels.push(buildLevel(grams, k));
    }
  }

  /** P(w | context), context = the preceding characters (only the last `order` are used). */
  prob(context: readonly string[], w: string): number {
    let p = this.uniform; // the base: uniform over alphabet + unknown
    const n = context.length;
    for (let k = 0; k <= this.order; k++) {
      if (k > n) break;
      let h = '';
      for (let j = n - k; j < n; j++) h += context[j]!;
      const lv = this.levels[k]!;
      const s = lv.contexts.get(h);
      if (!s) continue; // unseen context: keep the lower-order estimate
      const c = lv.grams.get(h + w) ?? 0;
      const D = lv.discount;
      p = Math.max(c - D, 0) / s.total + ((D * s.types) / s.total) * p;
    }
    return p;
  }

  /** Cross-entropy in bits per character of a text under the model (the first chars use shorter contexts). */
  crossEntropyBits(text: string | readonly string[], history: readonly string[] = []): number {
    const chars = typeof text === 'string' ? codePoints(text) : text;
    const ctx: string[] = this.order > 0 ? history.slice(-this.order) : [];
    let bits = 0;
    for (const w of chars) {
      bits -= Math.log2(this.prob(ctx, w));
      ctx.push(w);
      if (ctx.length > this.order) ctx.shift();
    }
    return bits / Math.max(1, chars.length);
  }

  /** The whole next-character distribution after `context`, over the alphabet (+ '\u0000unknown'). */
  distribution(context: readonly string[]): Map<string, number> {
    const out = new Map<string, number>();
    for (const a of this.alphabet) out.set(a, this.prob(context, a));
    out.set('\u0000unknown', this.prob(context, '\u0000unknown'));
    return out;
  }
}

/** N1+(• g) for every suffix g of the (k+2)-grams: the number of distinct characters preceding it. */
function continuationCounts(higher: Map<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const g of higher.keys()) {
    const first = g.codePointAt(0)! > 0xffff ? 2 : 1;
    const suffix = g.slice(first);
    out.set(suffix, (out.get(suffix) ?? 0) + 1);
  }
  return out;
}
