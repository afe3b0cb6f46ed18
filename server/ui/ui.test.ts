/**
 * The asset server over real HTTP, with raw paths as any client may send them. The build it
 * serves lives in a temp folder, away from the working directory, beside files that no
 * `/auth/assets/` path may reach.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { getRequestListener } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from '../testing/rawHttp.js';
import { assetServer, htmlHeaders, renderView, siteMetas } from './ui.js';
import { parseCli } from '../config.js';

const SCRIPT = 'export const answer = 42;\n';
const STYLE = 'body { color: black; }\n';
/** The script's variants as the build writes them beside it (the stylesheet has none). */
const COMPRESSED = { br: brotliCompressSync(SCRIPT), gzip: gzipSync(SCRIPT) };
/** In files outside `assets/`: no response may contain it. */
const SECRET = 'not-an-asset-3f9c';

let dir: string;
let server: Server;
let port: number;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'passkey-auth-assets-'));
  mkdirSync(join(dir, 'assets', 'nested'), { recursive: true });
  writeFileSync(join(dir, 'assets', 'main-Ab12.js'), SCRIPT);
  writeFileSync(join(dir, 'assets', 'main-Ab12.js.br'), COMPRESSED.br);
  writeFileSync(join(dir, 'assets', 'main-Ab12.js.gz'), COMPRESSED.gzip);
  writeFileSync(join(dir, 'assets', 'main-Cd34.css'), STYLE);
  writeFileSync(join(dir, 'main.html'), `<html>${SECRET}</html>`);
  mkdirSync(join(dir, 'assets-private'));
  writeFileSync(join(dir, 'assets-private', 'key.js'), SECRET);
  const app = new Hono();
  app.get('/auth/assets/*', assetServer({ dir, html: {} as never }));
  app.notFound((c) => c.json({ detail: 'Not found' }, 404));
  server = createServer(getRequestListener(app.fetch));
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((closed) => server.close(closed));
  rmSync(dir, { recursive: true, force: true });
});

const get = (path: string, method = 'GET') => rawRequest(port, { method, path });

describe('assetServer', () => {
  it('serves built files with their type, a year of immutable caching and nosniff', async () => {
    const script = await get('/auth/assets/main-Ab12.js');
    expect(script.status).toBe(200);
    expect(script.body).toBe(SCRIPT);
    expect(script.headers).toMatchObject({
      'content-type': 'text/javascript; charset=utf-8',
      'content-length': String(SCRIPT.length),
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
      vary: 'Accept-Encoding',
    });
    expect(script.headers['content-encoding']).toBeUndefined();
    const style = await get('/auth/assets/main-Cd34.css');
    expect(style.status).toBe(200);
    expect(style.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(style.body).toBe(STYLE);
  });

  it.each([
    ['br', 'gzip, deflate, br, zstd'],
    ['gzip', 'gzip, deflate'],
  ] as const)('sends the %s file written at build time to a browser that accepts it (%s)', async (encoding, accepted) => {
    const response = await fetch(`http://127.0.0.1:${port}/auth/assets/main-Ab12.js`, { headers: { 'Accept-Encoding': accepted } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-encoding')).toBe(encoding);
    expect(response.headers.get('content-length')).toBe(String(COMPRESSED[encoding].length));
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('vary')).toBe('Accept-Encoding');
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await response.text()).toBe(SCRIPT);
  });

  it('sends a file as it is when the build wrote no compressed variant of it', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/auth/assets/main-Cd34.css`, { headers: { 'Accept-Encoding': 'gzip, br' } });
    expect(response.headers.get('content-encoding')).toBeNull();
    expect(response.headers.get('vary')).toBe('Accept-Encoding');
    expect(await response.text()).toBe(STYLE);
  });

  it('answers HEAD with the headers and no body', async () => {
    const head = await get('/auth/assets/main-Ab12.js', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(SCRIPT.length));
    expect(head.body).toBe('');
  });

  it.each(['/auth/assets/missing.js', '/auth/assets/', '/auth/assets/nested', '/auth/assets/nested/'])('answers 404 without caching for %s', async (path) => {
    const response = await get(path);
    expect(response.status).toBe(404);
    expect(response.headers['cache-control']).toBeUndefined();
  });

  it.each([
    '/auth/assets/../main.html',
    '/auth/assets/../assets-private/key.js',
    '/auth/assets/..%2fmain.html',
    '/auth/assets/%2e%2e/main.html',
    '/auth/assets/%2e%2e%2fmain.html',
    '/auth/assets/%252e%252e%252fmain.html',
    '/auth/assets/..%5cmain.html',
    '/auth/assets/..\\main.html',
    '/auth/assets/nested/../../main.html',
    '/auth/assets//../main.html',
    '/auth/assets/%2fetc%2fpasswd',
  ])('never serves a file outside assets/ for %s', async (path) => {
    const response = await get(path);
    expect(response.status).not.toBe(200);
    expect(response.body).not.toContain(SECRET);
    expect(response.body).not.toContain('root:');
  });
});

describe('siteMetas', () => {
  it('tells every page the allowed origins as --origin writes them, and the RP ID', () => {
    const cli = parseCli(['--rp-id', 'example.com', '--origin', 'https://example.com', '--origin', 'https://*.example.com:8443'], {});
    if (cli.kind !== 'run') throw new Error('expected a config');
    const html = renderView({ dir, html: { main: '<html><head><title>x</title></head></html>' } as never }, 'main', siteMetas(cli.config));
    expect(html).toContain('<meta name="passkey-auth-origins" content="https://example.com https://*.example.com:8443" />');
    expect(html).toContain('<meta name="passkey-auth-rp-id" content="example.com" />');
    expect(html).not.toContain('passkey-auth-host');
  });
});

describe('htmlHeaders', () => {
  it('allows images from the page, data: and a logo on another origin, and from nowhere else', () => {
    const imageSources = (logo: string | null) => /img-src ([^;]*);/.exec(htmlHeaders({ logo })['Content-Security-Policy']!)![1];
    expect(imageSources(null)).toBe("'self' data:");
    expect(imageSources('/brand/logo.svg')).toBe("'self' data:");
    expect(imageSources('https://cdn.example.com/brand/logo.svg?v=2')).toBe("'self' data: https://cdn.example.com");
    expect(imageSources('http://localhost:8080/logo.svg')).toBe("'self' data: http://localhost:8080");
  });
});
