/**
 * Audience export: the CSV comes from the service (GET /v1/offers/audience.csv, streamed), not from
 * the page's table, so the file holds the whole audience, not the visible page. Fetched with the
 * bearer token (a plain link could not send it) and saved from a Blob.
 */
import { buildUrl, getToken } from '$lib/api.ts';

export async function downloadAudienceCsv(query: URLSearchParams): Promise<number> {
  const headers: Record<string, string> = { accept: 'text/csv' };
  const token = getToken();
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(buildUrl('/v1/offers/audience.csv', query), { headers });
  if (!res.ok) {
    const body = await res.json().catch(() => null);
    throw new Error(body?.error?.message ?? `${res.status} ${res.statusText}`);
  }
  const blob = await res.blob();
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'audience.csv';
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return blob.size;
}
