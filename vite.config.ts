import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import { fileURLToPath } from 'node:url';
import { VIEWS } from './shared/views.js';

const spa = (file: string) => fileURLToPath(new URL(`./spa/${file}`, import.meta.url));

/**
 * One HTML entry per view; the server picks which to serve (server/hostmode).
 * Assets go to dist/spa/assets with hashed names, served at /auth/assets/.
 * `npm run dev:spa` serves the SPA with hot reload, proxying the API to a running server.
 */
export default defineConfig({
  root: spa(''),
  base: '/auth/',
  plugins: [vue()],
  build: {
    outDir: fileURLToPath(new URL('./dist/spa', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    rollupOptions: { input: Object.fromEntries(VIEWS.map((view) => [view, spa(`${view}.html`)])) },
  },
  server: {
    port: 4402,
    proxy: {
      '/auth/api': 'http://localhost:4401',
      '/auth/ws': { target: 'ws://localhost:4401', ws: true },
    },
  },
});
