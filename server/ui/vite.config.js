// Built into the jar by server/ui/build.sh (run by Maven): served by the server at /ui/, so every asset URL starts
// with /ui/. No runtime CDN: cytoscape is bundled.
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/ui/',
  build: {
    outDir: process.env.CONTINUUM_UI_OUT || 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1024,
  },
});
