/**
 * Statistics of attention patterns, pure functions over probability rows (no tfjs):
 * entropy against the uniform causal row, mean attention distance, previous-token score and
 * induction score (Olsson et al. 2022, "In-context learning and induction heads": on a random
 * sequence repeated twice, an induction head at position i of the second copy attends to the
 * token after the previous occurrence of the current token, position i − R + 1).
 *
 * An attention tensor is given flattened as [B, H, T, T] (row-major, query-major); row i of a
 * causal pattern has support 0..i.
 */

export interface HeadStats {
  /** mean row entropy in bits over queries i ≥ 1 */
  entropyBits: number;
  /** mean of H_i / log2(i + 1) over queries i ≥ 1: 1 = uniform over the visible prefix, 0 = one-hot */
  normEntropy: number;
  /** mean over queries i ≥ 1 of Σ_j a_ij (i − j), in tokens */
  meanDistance: number;
  /** the same for uniform attention: mean over i ≥ 1 of i/2 */
  uniformDistance: number;
  /** mean over i ≥ 1 of a_{i, i−1} */
  prevToken: number;
}

/** Per-head statistics of attention att [B, H, T, T], averaged over the batch. Returns [H]. */
export function headStats(att: ArrayLike<number>, B: number, H: number, T: number): HeadStats[] {
  const out: HeadStats[] = [];
  for (let h = 0; h < H; h++) {
    let ent = 0;
    let norm = 0;
    let dist = 0;
    let unif = 0;
    let prev = 0;
    let rows = 0;
    for (let b = 0; b < B; b++) {
      const base = (b * H + h) * T * T;
      for (let i = 1; i < T; i++) {
        let e = 0;
        let d = 0;
        for (let j = 0; j <= i; j++) {
          const a = att[base + i * T + j]!;
          if (a > 0) e -= a * Math.log2(a);
          d += a * (i - j);
        }
        ent += e;
        norm += e / Math.log2(i + 1);
        dist += d;
        unif += i / 2;
        prev += att[base + i * T + i - 1]!;
        rows++;
      }
    }
    out.push({ entropyBits: ent / rows, normEntropy: norm / rows, meanDistance: dist / rows, uniformDistance: unif / rows, prevToken: prev / rows });
  }
  return out;
}

/**
 * Induction score per head on sequences made of a random block of length R repeated twice
 * (T = 2R): the mean of a_{i, i−R+1} over i in [R, 2R − 1]; also the uniform-attention value of
 * the same quantity, mean of 1/(i + 1). att [B, H, T, T]. Returns { score [H], chance }.
 */
export function inductionScores(att: ArrayLike<number>, B: number, H: number, R: number): { score: number[]; chance: number } {
  const T = 2 * R;
  const score: number[] = [];
  let chance = 0;
  for (let i = R; i < T; i++) chance += 1 / (i + 1);
  chance /= R;
  for (let h = 0; h < H; h++) {
    let s = 0;
    for (let b = 0; b < B; b++) {
      const base = (b * H + h) * T * T;
      for (let i = R; i < T; i++) s += att[base + i * T + (i - R + 1)]!;
    }
    score.push(s / (B * R));
  }
  return { score, chance };
}

/** Median of a list. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** How a head's focus moves as the query advances (a saccade–fixation reading of attention). */
export interface FixationStats {
  /** mean over queries i ≥ 1 of max_j a_ij: how much of the row sits on its one most-attended key */
  topWeight: number;
  /**
   * mean length, in queries, of a run of consecutive queries whose most-attended key stays the same,
   * counting only runs that end in a jump (a completed fixation); NaN when the focus never jumps.
   * A head whose focus slides with the query (previous-token) scores 1; one that holds a key for a
   * word and then jumps scores about the word length; one fixed on position 0 never jumps.
   */
  dwell: number;
  /** completed fixations counted */
  jumps: number;
}

/** Fixation statistics of attention att [B, H, T, T] per head, pooled over the batch. Returns [H]. */
export function fixationStats(att: ArrayLike<number>, B: number, H: number, T: number): FixationStats[] {
  const out: FixationStats[] = [];
  for (let h = 0; h < H; h++) {
    let top = 0;
    let runs = 0;
    let runLen = 0;
    for (let b = 0; b < B; b++) {
      const base = (b * H + h) * T * T;
      let prevKey = -1;
      let len = 0;
      for (let i = 1; i < T; i++) {
        let best = 0;
        for (let j = 1; j <= i; j++) if (att[base + i * T + j]! > att[base + i * T + best]!) best = j;
        top += att[base + i * T + best]!;
        if (best === prevKey) len++;
        else {
          if (prevKey >= 0) {
            runs++;
            runLen += len;
          }
          prevKey = best;
          len = 1;
        }
      }
    }
    out.push({ topWeight: top / (B * (T - 1)), dwell: runs > 0 ? runLen / runs : NaN, jumps: runs });
  }
  return out;
}
