/**
 * Serves UI views and SPA assets. HTML is never cached (it names the current
 * asset hashes); hashed assets are immutable for a year.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { createReadStream, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { Readable } from 'node:stream';
import { VIEWS, type View } from '../../shared/views.js';
import type { SpaFiles } from './spaFiles.js';
import { PAGE_META, type PageMetas } from '../../shared/pageMeta.js';

export const HTML_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'Referrer-Policy': 'no-referrer',
} as const;

const ASSET_CACHE = 'public, max-age=31536000, immutable';
const ASSET_NAME = /^[A-Za-z0-9._-]+$/;
const MIME: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
};

/**
 * Renders a view's HTML (Hono answers HEAD by running GET and dropping the body).
 * In dedicated mode every page learns the auth host from a meta tag, so that pages on app
 * hosts know where to open the ceremony WebSocket; the HTML is prepared once here.
 */
export function viewServer(spa: SpaFiles, authHostAuthority: string | null) {
  const html = Object.fromEntries(VIEWS.map((view) => [view, renderView(spa, view, { authHost: authHostAuthority })])) as Record<View, string>;
  return (c: Context, view: View): Response => c.body(html[view], 200, HTML_HEADERS);
}

/** A view's HTML with the page's `<meta>` tags added. */
export function renderView(spa: SpaFiles, view: View, metas: PageMetas): string {
  let tags = '';
  for (const key of Object.keys(PAGE_META) as Array<keyof PageMetas>) {
    const content = metas[key];
    if (typeof content === 'string') tags += `<meta name="${PAGE_META[key]}" content="${escapeAttribute(content)}" />`;
  }
  return spa.html[view].replace('</head>', `${tags}</head>`);
}

function escapeAttribute(text: string): string {
  return text.replace(/[&"<>]/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Serves `/auth/assets/<name>` from the build, a flat directory of hashed names. */
export function assetServer(spa: SpaFiles): MiddlewareHandler {
  const assetsDir = join(spa.dir, 'assets');
  return async function serveAsset(c, next) {
    const name = c.req.path.slice('/auth/assets/'.length);
    const type = MIME[extname(name)];
    if (!ASSET_NAME.test(name) || !type) return next();
    let size: number;
    try {
      const stat = statSync(join(assetsDir, name));
      if (!stat.isFile()) return next();
      size = stat.size;
    } catch {
      return next();
    }
    const headers = { 'Content-Type': type, 'Content-Length': String(size), 'Cache-Control': ASSET_CACHE, 'X-Content-Type-Options': 'nosniff' };
    const stream = Readable.toWeb(createReadStream(join(assetsDir, name))) as ReadableStream;
    return c.body(stream, 200, headers);
  };
}
