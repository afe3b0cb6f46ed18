/** Where a server spent its time, from the V8 .cpuprofile it wrote with --cpu-prof. */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { ROOT } from './build.js';

/** The parts of V8's .cpuprofile format read here. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  /** µs since the previous sample. */
  timeDeltas: number[];
}

/** Runtime functions worth seeing by inclusive time next to the project's own. */
const RUNTIME =
  /^(parserOnHeadersComplete|parserOnIncoming|writeHead|_storeHeader|end|_writeRaw|onStreamRead|emit|createHash|digest|update|get|setImmediate|processImmediate|processTicksAndRejections|\(garbage collector\)|\(program\)) /;

/** Prints self and inclusive time per function of one profile, as shares of the busy (non-idle) time. */
export function summariseProfile(file: string): void {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const keyOf = (id: number) => {
    const { functionName, url, lineNumber } = nodes.get(id)!.callFrame;
    const where = url ? `${url.replace(pathToFileURL(ROOT).href + '/', '')}:${lineNumber + 1}` : '';
    return `${functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
  };
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    if (nodes.get(id)!.callFrame.functionName === '(idle)') idle += dt;
    const key = keyOf(id);
    self.set(key, (self.get(key) ?? 0) + dt);
    // Each function once per sample, however often it recurs on the stack.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const k = keyOf(at);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
    }
  });
  const busy = total - idle;
  const pct = (us: number) => `${((100 * us) / busy).toFixed(1).padStart(5)}%`;
  const top = (map: Map<string, number>, n: number, filter: (key: string) => boolean) =>
    [...map].filter(([key]) => filter(key)).sort((a, b) => b[1] - a[1]).slice(0, n);
  console.log(`\nCPU profile ${file}`);
  console.log(`  ${(total / 1e6).toFixed(1)} s sampled, ${(idle / 1e6).toFixed(1)} s idle; percentages are of the ${(busy / 1e6).toFixed(1)} s busy`);
  console.log('  top self time:');
  for (const [key, us] of top(self, 25, (key) => !key.startsWith('(idle)'))) console.log(`    ${pct(us)}  ${key}`);
  console.log('  inclusive time, project code (dist/):');
  for (const [key, us] of top(inclusive, 15, (key) => key.includes('dist/'))) console.log(`    ${pct(us)}  ${key}`);
  console.log('  inclusive time, selected runtime functions:');
  for (const [key, us] of top(inclusive, 15, (key) => RUNTIME.test(key) && !key.includes('dist/'))) console.log(`    ${pct(us)}  ${key}`);
}
