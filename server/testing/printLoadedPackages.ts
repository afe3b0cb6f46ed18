/**
 * A preload (`node --import`): prints, as the process exits, the npm packages it loaded as
 * CommonJS (`require.cache`). pg and prom-client are CommonJS, so they are listed even when
 * imported from ESM. See loadedPackages.ts.
 */
import { createRequire } from 'node:module';
import { LOADED_PACKAGES, packageOf } from './loadedPackages.js';

const { cache } = createRequire(import.meta.url);
process.on('exit', () => {
  const packages = new Set(Object.keys(cache).map(packageOf).filter((name) => name !== null));
  process.stdout.write(`${LOADED_PACKAGES}${JSON.stringify([...packages].sort())}\n`);
});
