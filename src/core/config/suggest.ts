// "Did you mean ...?" suggestions for misspelled property names and enum values.

/** Optimal-string-alignment distance: Levenshtein plus adjacent transpositions ("mnsit" -> "mnist" = 1). */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = new Array<number>(n + 1);
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      cur[j] = d;
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[n];
}

/**
 * The candidate closest to `word`, or undefined when none is close enough. Case differences are free
 * ("learningrate" -> "learningRate"); otherwise at most a third of the longer word may differ (min 1), and
 * never every character of the shorter one.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const lw = word.toLowerCase();
  for (const c of candidates) {
    if (c === word) continue;
    const d = c.toLowerCase() === lw ? 0 : editDistance(lw, c.toLowerCase());
    const limit = Math.max(1, Math.floor(Math.max(word.length, c.length) / 3));
    // a short word that would be replaced wholesale ("b" -> "a") is not a misspelling
    if (d <= limit && d < Math.min(word.length, c.length) && d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}
