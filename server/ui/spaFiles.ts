/**
 * The built SPA: one HTML file per view, read once at start-up, and the
 * hashed assets under `/auth/assets/`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VIEWS, type View } from '../../shared/views.js';
import { packageRoot } from '../packageRoot.js';

export interface SpaFiles {
  /** Directory holding `assets/`. */
  dir: string;
  html: Record<View, string>;
}

/**
 * Loads the built views from `dir` (default `<package>/dist/spa`).
 * @throws with the command to run when the SPA has not been built.
 */
export function loadSpaFiles(dir = join(packageRoot(), 'dist', 'spa')): SpaFiles {
  const html = {} as Record<View, string>;
  for (const view of VIEWS) {
    const file = join(dir, `${view}.html`);
    if (!existsSync(file)) throw new Error(`the web UI is not built (${file} is missing): run "npm run build"`);
    html[view] = readFileSync(file, 'utf8');
  }
  return { dir, html };
}
