/** Nearest-name suggestions for unknown ids, keys and topics. */
/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}

/** The names nearest to `query` (substring matches first, then by edit distance). */
export function nearest(query: string, names: readonly string[], k = 3): string[] {
  const q = query.toLowerCase();
  return [...names]
    .map((n) => ({ n, d: n.toLowerCase().includes(q) || q.includes(n.toLowerCase()) ? 0 : editDistance(q, n.toLowerCase()) }))
    .sort((a, b) => a.d - b.d || a.n.localeCompare(b.n))
    .slice(0, k)
    .map((x) => x.n);
}
