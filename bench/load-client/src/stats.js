/** Nearest-rank percentile of numbers (Infinity counts as a lost delivery). */
export function percentile(values, p) {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** Count, lost (Infinity), p50, p99, mean and max of latencies in ms. Loops, not spreads: runs hold 10^5+ values. */
export function summarize(values) {
  let finite = 0;
  let sum = 0;
  let max = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    finite++;
    sum += v;
    if (v > max) max = v;
  }
  const round = v => (v === null || !Number.isFinite(v) ? v : Math.round(v * 100) / 100);
  return {
    count: values.length,
    lost: values.length - finite,
    p50: round(percentile(values, 50)),
    p99: round(percentile(values, 99)),
    mean: round(finite ? sum / finite : null),
    max: round(finite ? max : null),
  };
}
