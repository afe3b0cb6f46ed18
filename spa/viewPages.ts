/**
 * Vite plugin: the HTML entry of every view (`spa/<view>.html`) is made from one template,
 * `spa/page.html`, so the pages cannot drift apart. Only the view's name, its first title and
 * its entry script differ; the server fills in the rest per request (server/ui/ui.ts).
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Plugin } from 'vite';
import { VIEWS, type View } from '../shared/views.js';

/** The title each page has before its script sets one. */
const TITLES: Record<View, string> = {
  main: 'Sign in',
  account: 'Your account',
  admin: 'Administration',
  reset: 'Set up a passkey',
  restricted: "You don't have access",
  notFound: 'Page not found',
  authorize: 'Sign in to an app',
  logout: 'Sign out',
};

/** The page of `view` from the template's text. */
export function viewPage(template: string, view: View): string {
  return template.replaceAll('%VIEW%', view).replaceAll('%TITLE%', TITLES[view]);
}

/** The view an entry path names (`/…/spa/admin.html` → `admin`), or null. */
function viewOfPath(path: string, root: string): View | null {
  if (dirname(path) !== root || !path.endsWith('.html')) return null;
  const name = basename(path, '.html');
  return (VIEWS as readonly string[]).includes(name) ? (name as View) : null;
}

/**
 * @param root the SPA's folder (vite's `root`), holding `page.html`
 * @returns the entry paths for `build.rollupOptions.input`, and the plugin that makes them
 */
export function viewPages(root: string): { input: Record<View, string>; plugin: Plugin } {
  const templateFile = join(root, 'page.html');
  const template = () => readFileSync(templateFile, 'utf8');
  const input = Object.fromEntries(VIEWS.map((view) => [view, join(root, `${view}.html`)])) as Record<View, string>;
  const plugin: Plugin = {
    name: 'passkey-auth:view-pages',
    resolveId: (id) => (viewOfPath(id, root) ? id : null),
    load(id) {
      const view = viewOfPath(id, root);
      if (!view) return null;
      this.addWatchFile(templateFile);
      return viewPage(template(), view);
    },
    // The dev server reads HTML from disk, not through `load`: answer the pages here.
    configureServer(server) {
      server.middlewares.use(async (req, res, next) => {
        const path = (req.url ?? '').split('?')[0]!.replace(/^\/auth\//, '/');
        const view = viewOfPath(join(root, path), root);
        if (!view) return next();
        const html = await server.transformIndexHtml(req.url ?? '', viewPage(template(), view));
        res.setHeader('Content-Type', 'text/html; charset=utf-8');
        res.end(html);
      });
    },
  };
  return { input, plugin };
}
