import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const page = (name: string) => resolve(import.meta.dirname, name, 'index.html');

/**
 * One multi-page build: every screen shares the call library and the UI parts in common/. Each
 * page loads only what it uses (the consoles load a role's views on demand). No inline script or
 * style is emitted, so the pages run under the server's strict Content Security Policy.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  build: {
    outDir: resolve(import.meta.dirname, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: {
        index: resolve(import.meta.dirname, 'index.html'),
        station: page('station'),
        booth: page('booth'),
        portal: page('portal'),
        console: page('console'),
        ops: page('ops'),
      },
    },
  },
});
