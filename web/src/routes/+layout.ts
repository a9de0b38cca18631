// A single-page app served by the service: no server rendering, no prerendering.
export const ssr = false;
export const prerender = false;
