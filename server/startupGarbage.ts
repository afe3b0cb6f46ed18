/**
 * One full garbage collection once the service has started, before it listens. Loading
 * modules, migrating, bootstrapping and making signing keys leave ~9 MiB of dead objects
 * (heap snapshots, docs/benchmarks.md "Memory"), and under steady load V8 may run no full
 * collection for a long time: new objects then land on fresh pages while the dead ones keep
 * theirs, and the process stays ~4 MiB larger than it needs to be. Node exposes `gc` only
 * with `--expose-gc`; setting that flag now makes V8 give `gc` to contexts created from here
 * on, so one new context lends it without exposing it to the app's global scope.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export function collectStartupGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
}
