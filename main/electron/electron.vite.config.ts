// electron-vite build wiring (`electron-vite build -c main/electron/electron.vite.config.ts`). Paths point at
// the repository's top-level folders; electron-vite's defaults assume src/.
//
//   out/main/index.js        main process (ESM: package.json has "type": "module")
//   out/main/sync-worker.js  the sync worker thread
//   out/preload/index.cjs    preload, CommonJS (sandboxed preloads cannot be ES modules)
//   out/renderer/            the React app, index.html with the CSP <meta> tag
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { CONTENT_SECURITY_POLICY_META } from '../app/csp.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const at = (path: string): string => `${root}${path}`;

/**
 * The built page carries its CSP itself: Electron loads it with loadFile(), and file:// responses have no
 * headers to put a policy in. Build only: the dev server gets a relaxed header instead (main/electron/index.ts).
 */
function contentSecurityPolicyMeta(): Plugin {
  return {
    name: 'marquee:csp-meta',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: () => [
        {
          tag: 'meta',
          attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY_META },
          injectTo: 'head-prepend',
        },
      ],
    },
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: at('out/main'),
      // package.json dependencies stay external (loaded from node_modules at run time). better-sqlite3 must:
      // its native binding is found relative to its own files. It is Node-API with prebuilds for every
      // platform inside the package (node_modules/better-sqlite3/prebuilds), so the same binary loads in
      // Node 22 and Electron >= 36 — no electron-rebuild (electron-builder.yml: npmRebuild false).
      externalizeDeps: { include: ['better-sqlite3'] },
      rolldownOptions: {
        input: {
          index: at('main/electron/index.ts'),
          'sync-worker': at('main/electron/sync-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: at('out/preload'),
      rolldownOptions: {
        input: { index: at('preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: at('renderer'),
    plugins: [react(), contentSecurityPolicyMeta()],
    build: {
      outDir: at('out/renderer'),
      rolldownOptions: { input: at('renderer/index.html') },
    },
  },
});
