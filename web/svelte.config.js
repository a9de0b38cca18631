// SvelteKit reads this file from the current directory: build with `cd web && vite build`.
import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
export default {
  preprocess: vitePreprocess(),
  kit: {
    // A single-page app: the service serves build/ at / and falls back to index.html for
    // client-side routes (/drivers, /fees, …).
    adapter: adapter({ pages: 'build', assets: 'build', fallback: 'index.html', strict: false }),
    alias: {
      // The API's contract types live with the service; the dashboard imports them type-only.
      $service: '../service',
    },
  },
};
