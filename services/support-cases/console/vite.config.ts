import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The agent console, built to `dist/` and served by support-cases at /console. React's automatic
 * JSX through esbuild (no React plugin: nothing to install beyond vite); no inline script, so the
 * service's strict Content-Security-Policy needs no exception.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  esbuild: { jsx: 'automatic' },
  resolve: { alias: { 'node:crypto': fileURLToPath(new URL('src/node-crypto-shim.ts', import.meta.url)) } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1024,
    rollupOptions: {
      // zod's sources carry comments rollup cannot place; they are harmless and only noise here.
      onwarn(warning, warn) {
        if (warning.code !== 'INVALID_ANNOTATION') warn(warning);
      },
    },
  },
  logLevel: 'warn',
});
