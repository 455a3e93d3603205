/**
 * A character-level vocabulary: one token per Unicode code point (never half a surrogate pair, so
 * it works for Chinese — tang300 has a few thousand distinct characters), sorted by code point
 * like nanoGPT's `sorted(set(text))`.
 *
 * Out-of-vocabulary policy (explicit, chosen by the caller):
 * - `'error'` (default): encoding text with an unknown character throws {@link OovError}, which
 *   names the characters (the CLI turns it into one line, exit 2);
 * - `'skip'`: unknown characters are dropped;
 * - `'replace'`: unknown characters become the vocabulary's replacement symbol: U+FFFD if the
 *   corpus had it, else a space if it had one, else the first symbol.
 * Build the vocabulary from the whole corpus (train + val, as nanoGPT does), so that evaluation on the
 * held-out 10% never meets an unknown character.
 */
export type OovPolicy = 'error' | 'skip' | 'replace';

export class OovError extends Error {
  constructor(readonly chars: string[]) {
    const shown = chars.slice(0, 8).map((c) => JSON.stringify(c)).join(', ');
    super(`${chars.length} character${chars.length === 1 ? '' : 's'} not in the vocabulary: ${shown}${chars.length > 8 ? ', …' : ''}`);
    this.name = 'OovError';
  }
}

export class CharVocab {
  readonly chars: string[];
  private readonly index: Map<string, number>;

  constructor(chars: string[]) {
    if (chars.length === 0) throw new Error('a vocabulary needs at least one character');
    this.chars = chars.slice();
    this.index = new Map(chars.map((c, i) => [c, i]));
    if (this.index.size !== chars.length) throw new Error('vocabulary characters must be distinct');
  }

  /** All distinct code points of `text`, sorted by code point. */
  static fromText(text: string): CharVocab {
    const set = new Set<string>();
    for (const ch of text) set.add(ch);
    if (set.size === 0) throw new Error('cannot build a vocabulary from an empty text');
    return new CharVocab([...set].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!));
  }

  /** V, the number of symbols. */
  get size(): number {
    return this.chars.length;
  }

  has(ch: string): boolean {
    return this.index.has(ch);
  }

  /** The symbol unknown characters become under the 'replace' policy. */
  get replacement(): number {
    return this.index.get('\uFFFD') ?? this.index.get(' ') ?? 0;
  }

  /** Characters of `text` outside the vocabulary (distinct, in order of appearance). */
  unknown(text: string): string[] {
    const out = new Set<string>();
    for (const ch of text) if (!this.index.has(ch)) out.add(ch);
    return [...out];
  }

  encode(text: string, oov: OovPolicy = 'error'): Int32Array {
    const out = new Int32Array(text.length); // ≥ number of code points
    let n = 0;
    let bad: Set<string> | undefined;
    for (const ch of text) {
      const id = this.index.get(ch);
      if (id !== undefined) out[n++] = id;
      else if (oov === 'replace') out[n++] = this.replacement;
      else if (oov === 'error') (bad ??= new Set()).add(ch);
    }
    if (bad) throw new OovError([...bad]);
    return out.slice(0, n);
  }

  decode(ids: ArrayLike<number>): string {
    let s = '';
    for (let i = 0; i < ids.length; i++) {
      const c = this.chars[ids[i]!];
      if (c === undefined) throw new Error(`token id ${ids[i]} is outside the vocabulary of ${this.size}`);
      s += c;
    }
    return s;
  }

  toJSON(): { type: 'char'; chars: string[] } {
    return { type: 'char', chars: this.chars };
  }

  static fromJSON(j: unknown): CharVocab {
    const o = j as { type?: string; chars?: unknown };
    if (!o || o.type !== 'char' || !Array.isArray(o.chars) || !o.chars.every((c) => typeof c === 'string')) {
      throw new Error('not a character vocabulary (expected {"type":"char","chars":[...]})');
    }
    return new CharVocab(o.chars as string[]);
  }
}
