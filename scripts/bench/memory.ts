/**
 * The server's resident memory during a measured run, read from /proc: sampled at a
 * fixed interval, reported as the peak and the steady level (the median of the run's
 * second half, once the heap has grown to what the load needs).
 */
import { readFileSync } from 'node:fs';
import { median } from './format.js';

const SAMPLE_EVERY_MS = 100;
const MIB = 2 ** 20;

/** Resident memory of one run, in MiB. */
export interface RssFigures {
  peakMiB: number;
  steadyMiB: number;
}

/** The resident set of process `pid` in bytes (VmRSS), or null off Linux or once it has exited. */
export function rssBytes(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Peak and steady level of samples taken in order; null without samples. */
export function rssFigures(samples: readonly number[]): RssFigures | null {
  if (samples.length === 0) return null;
  return { peakMiB: Math.max(...samples) / MIB, steadyMiB: median(samples.slice(Math.floor(samples.length / 2))) / MIB };
}

/** Samples `pid`'s resident memory until `stop()`, which returns the figures (null off Linux). */
export function sampleRss(pid: number): { stop(): RssFigures | null } {
  const samples: number[] = [];
  const take = () => {
    const bytes = rssBytes(pid);
    if (bytes !== null) samples.push(bytes);
  };
  take();
  const timer = setInterval(take, SAMPLE_EVERY_MS);
  return {
    stop() {
      clearInterval(timer);
      take();
      return rssFigures(samples);
    },
  };
}
