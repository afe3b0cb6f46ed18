/** Number formats of the benchmark's output, and medians. */

export const fmtRate = (n: number): string => Math.round(n).toLocaleString('en');
export const fmtMs = (n: number): string => (n >= 10 ? n.toFixed(1) : n.toFixed(2));
export const fmtRatio = (n: number | undefined): string => (n === undefined ? '—' : `${n.toFixed(2)}×`);
export const fmtCpu = (n: number | null): string => (n === null ? '—' : n.toFixed(1));
/** Peak / steady resident memory in MiB. */
export const fmtRss = (rss: { peakMiB: number; steadyMiB: number } | null): string => (rss === null ? '—' : `${rss.peakMiB.toFixed(0)} / ${rss.steadyMiB.toFixed(0)}`);

/** The median item by `key` (the lower middle one for an even count). */
export function medianBy<T>(items: readonly T[], key: (item: T) => number): T {
  return [...items].sort((a, b) => key(a) - key(b))[Math.floor((items.length - 1) / 2)]!;
}

export const median = (values: readonly number[]): number => medianBy(values, (value) => value);
