import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The renderer is a static bundle loaded from the app's own origin (custodian://app in Electron,
// a routed origin in the preview and e2e tests): relative paths, no dev server in production.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: { outDir: '../out/renderer', emptyOutDir: true, sourcemap: false, target: 'chrome120' },
});
