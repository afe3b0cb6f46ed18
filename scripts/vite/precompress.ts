/**
 * A Vite plugin writing `<file>.br` and `<file>.gz` beside every built script and stylesheet, so
 * the server sends them compressed without compressing per request (server/ui/ui.ts serves the
 * variant the browser accepts). Brotli at quality 11 and gzip at level 9: slow, but only once,
 * at build time. A variant no smaller than its file is not written.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

const COMPRESSIBLE = /^assets\/.+\.(?:js|css|svg)$/;

const ENCODERS: Array<[extension: string, encode: (bytes: Buffer) => Buffer]> = [
  ['.br', (bytes) => brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } })],
  ['.gz', (bytes) => gzipSync(bytes, { level: 9 })],
];

export function precompress(): Plugin {
  return {
    name: 'passkey-auth:precompress',
    apply: 'build',
    writeBundle(output, bundle) {
      const dir = output.dir!;
      for (const fileName of Object.keys(bundle).filter((name) => COMPRESSIBLE.test(name))) {
        const bytes = readFileSync(join(dir, fileName));
        for (const [extension, encode] of ENCODERS) {
          const encoded = encode(bytes);
          if (encoded.length < bytes.length) writeFileSync(join(dir, fileName + extension), encoded);
        }
      }
    },
  };
}
