/**
 * namedParams binds exactly the parameters a statement uses: a `$name` in a line comment (as the
 * headers of queries/ write them) must not count, or DuckDB refuses the unused value.
 */
import { describe, expect, it } from 'vitest';
import { namedParams } from '../../../service/db/sql-compose.ts';

describe('namedParams', () => {
  it('keeps the parameters the code names and ignores those named only in comments', () => {
    const text = "-- for the batches in ($after, $upto]\nDELETE FROM t WHERE $after::BIGINT IS NULL -- not $upto\nAND x = '$literal'";
    expect(namedParams(text, { after: 1, upto: 2, other: 3 })).toEqual({ after: 1 });
  });
});
