import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [sveltekit()],
  server: {
    port: 5173,
    // `npm run dev` (service on :8080) + `npm run dev:web`: the dashboard calls /v1 on the same origin.
    proxy: { '/v1': 'http://127.0.0.1:8080' },
  },
  preview: { proxy: { '/v1': 'http://127.0.0.1:8080' } },
  build: { chunkSizeWarningLimit: 900 },
});
