import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import { fileURLToPath } from 'node:url';
import { precompress } from './scripts/vite/precompress.js';
import { viewPages } from './spa/viewPages.js';

const root = fileURLToPath(new URL('./spa', import.meta.url));
const pages = viewPages(root);

/** The QR code encoder and its dependencies, in a chunk named `assets/qrcode-<hash>.js` (e2e/assets.spec.ts looks for it). */
const QR_CODE_MODULES = /[\\/]node_modules[\\/](?:qrcode|dijkstrajs|pngjs)[\\/]/;

/**
 * One HTML entry per view, made from spa/page.html (spa/viewPages.ts); the server picks which
 * to serve (server/hostmode).
 * Assets go to dist/spa/assets with hashed names, each with its brotli and gzip variant, served
 * at /auth/assets/. The QR code encoder gets a chunk of its own, loaded when a link is made.
 * `npm run dev:spa` serves the SPA with hot reload, proxying the API to a running server.
 */
export default defineConfig({
  root,
  base: '/auth/',
  plugins: [vue(), pages.plugin, precompress()],
  build: {
    outDir: fileURLToPath(new URL('./dist/spa', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    rollupOptions: {
      input: pages.input,
      output: { manualChunks: (id) => (QR_CODE_MODULES.test(id) ? 'qrcode' : undefined) },
    },
  },
  server: {
    port: 4402,
    proxy: {
      '/auth/api': 'http://localhost:4401',
      '/auth/ws': { target: 'ws://localhost:4401', ws: true },
    },
  },
});
