/** Exports: a chart's data as CSV, the chart as PNG (with its title drawn above it). */
import { buildUrl } from '$lib/api.ts';
import type { Chart } from './echart.ts';

export type CsvRow = Record<string, string | number | boolean | null | undefined>;

function csvCell(v: CsvRow[string]): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : String(v);
  return /[",\n\r;]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(rows: CsvRow[]): string {
  if (rows.length === 0) return '';
  const cols: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!cols.includes(k)) cols.push(k);
  return [cols.join(','), ...rows.map((r) => cols.map((c) => csvCell(r[c])).join(','))].join('\r\n') + '\r\n';
}

export function slug(s: string): string {
  return (
    s
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^\w\s-]/g, '')
      .trim()
      .replace(/[\s_]+/g, '-')
      .slice(0, 60) || 'chart'
  );
}

function save(href: string, filename: string) {
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
}

export function downloadCsv(rows: CsvRow[], filename: string) {
  const url = URL.createObjectURL(new Blob(['\ufeff' + toCsv(rows)], { type: 'text/csv;charset=utf-8' }));
  save(url, filename.endsWith('.csv') ? filename : `${filename}.csv`);
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The chart as a PNG data URL with the title above it, on white. */
export async function chartPng(chart: Chart, title: string): Promise<string> {
  const ratio = 2;
  const src = chart.getDataURL({ type: 'png', pixelRatio: ratio, backgroundColor: '#ffffff' });
  const img = new Image();
  await new Promise<void>((resolve, reject) => {
    img.onload = () => resolve();
    img.onerror = () => reject(new Error('could not render the chart image'));
    img.src = src;
  });
  const pad = 16 * ratio;
  const lineHeight = 22 * ratio;
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d')!;
  ctx.font = `600 ${15 * ratio}px system-ui, sans-serif`;
  // Wrap the title to the image width.
  const words = title.split(/\s+/);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    const t = line ? `${line} ${w}` : w;
    if (ctx.measureText(t).width > img.width - 2 * pad && line) {
      lines.push(line);
      line = w;
    } else line = t;
  }
  if (line) lines.push(line);
  canvas.width = img.width;
  canvas.height = img.height + pad + lines.length * lineHeight;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#111111';
  ctx.font = `600 ${15 * ratio}px system-ui, sans-serif`;
  ctx.textBaseline = 'top';
  lines.forEach((l, i) => ctx.fillText(l, pad, pad / 2 + i * lineHeight));
  ctx.drawImage(img, 0, pad + lines.length * lineHeight);
  return canvas.toDataURL('image/png');
}

export async function downloadPng(chart: Chart, title: string, filename: string) {
  save(await chartPng(chart, title), filename.endsWith('.png') ? filename : `${filename}.png`);
}

/**
 * Downloads a file the service generates (a streamed CSV export), fetched with the session cookie
 * rather than followed as a link, so a refusal shows its message instead of saving an error body,
 * and saved from a Blob under the service's file name.
 * Resolves to the file's size in bytes.
 */
export async function downloadFromService(path: string, query: Parameters<typeof buildUrl>[1], fallbackName: string): Promise<number> {
  const res = await fetch(buildUrl(path, query), { headers: { accept: 'text/csv' }, credentials: 'same-origin' });
  if (!res.ok) {
    const body = await res.json().catch(() => null);
    throw new Error(body?.error?.message ?? `${res.status} ${res.statusText}`);
  }
  const blob = await res.blob();
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(blob);
  save(url, name);
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return blob.size;
}
