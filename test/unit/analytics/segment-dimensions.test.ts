/**
 * The segment dimensions are spelled once (analytics/contracts.ts SEGMENT_DIMENSIONS); the filter
 * schema and the dashboard derive from it, but the SQL cannot import it. These tests read the SQL
 * and fail when a dimension is added to the list without the analysis base computing it and the
 * filtered base filtering on it (or when the SQL filters on a dimension the list does not know).
 */
import { describe, expect, it } from 'vitest';
import { FilterQuery, SEGMENT_DIMENSIONS } from '../../../service/analytics/contracts.ts';
import { sql } from '../../../service/db/sql-files.ts';
import { analysisBaseSql } from '../../../service/analytics/base-sql.ts';

describe('segment dimensions', () => {
  it('queries/filtered_base.sql filters on exactly the dimensions of SEGMENT_DIMENSIONS, each by its bound list', () => {
    const text = sql('filtered_base', { base: 'b' });
    const filtered = [...text.matchAll(/list_contains\(\$(\w+)::VARCHAR\[\], (\w+)\)/g)].map((m) => {
      expect(m[1], `parameter and column of ${m[1]}`).toBe(m[2]);
      return m[1];
    });
    expect(filtered.sort()).toEqual([...SEGMENT_DIMENSIONS].sort());
  });

  it('queries/analysis_base.sql yields a column for every dimension', () => {
    const text = analysisBaseSql();
    // The outermost SELECT (the one at the start of a line), which names the columns of the base.
    const final = text.slice(text.lastIndexOf('\nSELECT '));
    for (const d of SEGMENT_DIMENSIONS) expect(final, d).toMatch(new RegExp(`\\b${d}\\b`));
  });

  it('the filter query accepts every dimension', () => {
    const parsed = FilterQuery.parse(Object.fromEntries(SEGMENT_DIMENSIONS.map((d) => [d, d === 'payment_method_class' ? 'manual' : d === 'vertical' ? 'telecom' : d === 'age_band' ? '18-29' : d === 'tenure_band' ? '<1y' : d === 'invoice_channel' ? 'paper' : 'x'])));
    for (const d of SEGMENT_DIMENSIONS) expect(parsed[d], d).toHaveLength(1);
  });
});
