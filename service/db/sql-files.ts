/**
 * Loads the analytical SQL in `queries/` by name. Values are always bound parameters ($name);
 * the only text substituted is `{{identifier}}` placeholders, and only with identifiers the
 * caller takes from an allow-list — checked again here against a strict identifier pattern.
 */
import fs from 'node:fs';
import path from 'node:path';

export const QUERIES_DIR = path.resolve(import.meta.dirname, '../../queries');
const cache = new Map<string, string>();
const IDENTIFIER = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/;

export function sql(name: string, identifiers: Record<string, string> = {}): string {
  let text = cache.get(name);
  if (text === undefined) {
    if (!/^[a-z0-9_/-]+$/.test(name)) throw new Error(`bad query name ${name}`);
    text = fs.readFileSync(path.join(QUERIES_DIR, `${name}.sql`), 'utf8');
    cache.set(name, text);
  }
  return text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const value = identifiers[key];
    if (value === undefined) throw new Error(`query ${name}: no value for {{${key}}}`);
    if (!IDENTIFIER.test(value)) throw new Error(`query ${name}: ${key} is not a plain identifier`);
    return value;
  });
}
