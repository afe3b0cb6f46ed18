#!/usr/bin/env node
// Prints what each built page costs to load (`npm run build` first): the view's HTML plus every
// script, module preload and stylesheet that HTML names, i.e. what the browser fetches before the
// page can show anything. Chunks imported on demand later (the QR code when a link is made) are
// not counted. Sizes in bytes: uncompressed, gzip (level 9) and brotli (quality 11), as served.
// Usage: node scripts/page-weights.mjs [dist/spa]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const PAGES = [
  ['sign-in', 'main'],
  ['account', 'account'],
  ['admin', 'admin'],
  ['reset link', 'reset'],
  ['restricted', 'restricted'],
];
const ASSET_REFERENCE = /<(?:script[^>]*\ssrc|link[^>]*\shref)="\/auth\/(assets\/[^"]+\.(js|css))"/g;

const dir = process.argv[2] ?? 'dist/spa';

/** Raw, gzip and brotli sizes of one file's bytes. */
function sizes(bytes) {
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

function add(total, part) {
  for (const key of Object.keys(part)) total[key] += part[key];
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)}`;
const cell = (size) => `${kb(size.raw)} / ${kb(size.gzip)} / ${kb(size.brotli)}`;

console.log('| page | HTML | JS | CSS | total |');
console.log('|---|---:|---:|---:|---:|');
for (const [page, view] of PAGES) {
  const htmlBytes = readFileSync(join(dir, `${view}.html`));
  const total = { html: sizes(htmlBytes), js: { raw: 0, gzip: 0, brotli: 0 }, css: { raw: 0, gzip: 0, brotli: 0 } };
  for (const [, file, kind] of htmlBytes.toString('utf8').matchAll(ASSET_REFERENCE)) add(total[kind], sizes(readFileSync(join(dir, file))));
  const all = { raw: 0, gzip: 0, brotli: 0 };
  for (const part of [total.html, total.js, total.css]) add(all, part);
  console.log(`| ${page} | ${cell(total.html)} | ${cell(total.js)} | ${cell(total.css)} | ${cell(all)} |`);
}
console.log('\nKiB: uncompressed / gzip / brotli');
