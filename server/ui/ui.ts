/**
 * Serves UI views and SPA assets. HTML is never cached (it names the current
 * asset hashes); hashed assets are immutable for a year.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { every } from 'hono/combine';
import { serveStatic } from '@hono/node-server/serve-static';
import { join } from 'node:path';
import { VIEWS, type View } from '../../shared/views.js';
import type { SpaFiles } from './spaFiles.js';
import { ACCENT_COLORS, PAGE_META, type PageMetas } from '../../shared/pageMeta.js';
import { formatOriginRule, type Config } from '../config.js';

/**
 * The headers of every page with these tags. Images come from the page's own origin and `data:`,
 * and from the logo's origin when `--logo` names another (config.ts has checked it is http(s)).
 */
export function htmlHeaders(metas: Pick<PageMetas, 'logo'>): Record<string, string> {
  const logoOrigin = metas.logo && !metas.logo.startsWith('/') ? ` ${new URL(metas.logo).origin}` : '';
  return {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Frame-Options': 'DENY',
    'Content-Security-Policy': `default-src 'self'; img-src 'self' data:${logoOrigin}; style-src 'self' 'unsafe-inline'; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'`,
    'Referrer-Policy': 'no-referrer',
  };
}

const ASSETS_PATH = '/auth/assets';
const ASSET_CACHE = 'public, max-age=31536000, immutable';

/**
 * The tags every page carries: in dedicated mode the auth host, so that pages on app hosts know
 * where to open the ceremony WebSocket; the allowed origins and the RP ID, so that a page opened
 * at a wrong address (`127.0.0.1` for `localhost`, a proxy port missing from `--origin`) can say
 * so; the service's name, logo and accent colours. They hold no secret: every allowed page shows them to
 * its visitors anyway.
 */
export function siteMetas(config: Pick<Config, 'authHostAuthority' | 'origins' | 'rpId' | 'branding'>): PageMetas {
  return {
    authHost: config.authHostAuthority,
    origins: config.origins.map(formatOriginRule).join(' '),
    rpId: config.rpId,
    serviceName: config.branding.serviceName,
    logo: config.branding.logo,
    accent: config.branding.accent && ACCENT_COLORS.map((name) => config.branding.accent![name]).join(' '),
  };
}

/** Answers with a view's page. */
export type ViewServer = (c: Context, view: View, status?: ContentfulStatusCode) => Response;

/**
 * Renders a view's HTML (Hono answers HEAD by running GET and dropping the body) with the
 * site's tags ({@link siteMetas}); the HTML is prepared once here.
 */
export function viewServer(spa: SpaFiles, metas: PageMetas): ViewServer {
  const html = Object.fromEntries(VIEWS.map((view) => [view, renderView(spa, view, metas)])) as Record<View, string>;
  const headers = htmlHeaders(metas);
  return (c: Context, view: View, status: ContentfulStatusCode = 200): Response => c.body(html[view], status, headers);
}

/** A view's HTML with the page's `<meta>` tags added and the service's name ending its title (`Sign in · Acme`). */
export function renderView(spa: SpaFiles, view: View, metas: PageMetas): string {
  let tags = '';
  for (const key of Object.keys(PAGE_META) as Array<keyof PageMetas>) {
    const content = metas[key];
    if (typeof content === 'string') tags += `<meta name="${PAGE_META[key]}" content="${escapeHtml(content)}" />`;
  }
  const titleEnd = metas.serviceName ? ` · ${escapeHtml(metas.serviceName)}</title>` : '</title>';
  // Replaced by functions: a replacement string would give `$&` or `$'` in a name their special meaning.
  return spa.html[view].replace('</title>', () => titleEnd).replace('</head>', () => `${tags}</head>`);
}

/** Text made safe inside an attribute value or an element such as `<title>`. */
function escapeHtml(text: string): string {
  return text.replace(/[&"'<>]/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * Serves `/auth/assets/*` from the build's `assets/` folder with `@hono/node-server`'s serveStatic,
 * which refuses `..`, backslashes and percent-escapes in the path and answers HEAD and Range.
 * The root is absolute (supported since honojs/node-server#257, though its JSDoc still says otherwise),
 * so the files come from the package's build whatever the working directory. A script or
 * stylesheet goes out as the `.br` or `.gz` file the build wrote beside it (scripts/vite/precompress.ts)
 * when the browser accepts that encoding; nothing is compressed per request. Found files get the
 * long cache, nosniff and `Vary: Accept-Encoding` (on the uncompressed answer too, so that a
 * shared cache never hands it, or a compressed one, to the wrong browser); misses fall through
 * to the app's 404.
 */
export function assetServer(spa: SpaFiles): MiddlewareHandler {
  const serveAsset = serveStatic({
    root: join(spa.dir, 'assets'),
    rewriteRequestPath: (path) => path.slice(ASSETS_PATH.length),
    precompressed: true,
  });
  const assetHeaders: MiddlewareHandler = async (c, next) => {
    await next();
    if (c.res.ok) {
      c.header('Cache-Control', ASSET_CACHE);
      c.header('X-Content-Type-Options', 'nosniff');
      c.header('Vary', 'Accept-Encoding');
    }
  };
  return every(assetHeaders, serveAsset);
}
