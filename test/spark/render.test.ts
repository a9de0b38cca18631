/**
 * The DuckDB → Spark SQL renderer (service/spark/render.ts), rule by rule, without a JVM: each rule
 * on a small statement, refusal of DuckDB-only constructs, and the event-sized sources of queries/
 * rendering without a leftover DuckDB spelling. Whether the rendered SQL means the same on Spark is
 * test/spark/spark-engine.test.ts's job (every statement run on both engines).
 */
import { describe, expect, it } from 'vitest';
import { sql } from '../../service/db/sql-files.ts';
import { factDefinitions } from '../../service/spark/engine.ts';
import { renderSpark, sparkParams, statementsOf, UnsupportedSql } from '../../service/spark/render.ts';
import { analysisBaseSql } from '../../service/analytics/base-sql.ts';

describe('renderSpark rules', () => {
  it('binds parameters as Spark markers and casts them', () => {
    expect(renderSpark('SELECT * FROM events WHERE occurred_at < $exp_end::TIMESTAMPTZ AND batch_id > $after::BIGINT')).toBe(
      'SELECT * FROM events WHERE occurred_at < CAST(:exp_end AS TIMESTAMP) AND batch_id > CAST(:after AS BIGINT)',
    );
    expect(sparkParams(renderSpark("SELECT $a::DATE, ':not_a_param', $b::BOOLEAN, $a::DATE"))).toEqual(['a', 'b']);
  });

  it('casts dotted names, calls and literals, and maps the types', () => {
    expect(renderSpark('SELECT f.paid_at::DATE, lower(x)::VARCHAR, 1::INTEGER, amount::DECIMAL(18,4)')).toBe(
      'SELECT CAST(f.paid_at AS DATE), CAST(lower(x) AS STRING), CAST(1 AS INT), CAST(amount AS DECIMAL(18,4))',
    );
    expect(renderSpark('SELECT a::DATE::VARCHAR')).toBe('SELECT CAST(CAST(a AS DATE) AS STRING)');
    expect(renderSpark('SELECT CAST(a AS VARCHAR), CAST(b AS TIMESTAMPTZ)')).toBe('SELECT CAST(a AS STRING), CAST(b AS TIMESTAMP)');
  });

  it('makes decimal literals DOUBLE so division stays floating point', () => {
    expect(renderSpark('SELECT x / 86400.0, y < 0.4, z * 365')).toBe('SELECT x / 86400.0D, y < 0.4D, z * 365');
  });

  it('renames arg_max/arg_min and turns a row-value ordering into a struct', () => {
    expect(renderSpark('SELECT arg_max(cls, (n, last_at)), arg_min(due_date, occurred_at) FROM t')).toBe('SELECT max_by(cls, struct(n, last_at)), min_by(due_date, occurred_at) FROM t');
  });

  it('aggregates lists as collect_list and sorts them with array_sort', () => {
    expect(renderSpark('SELECT CASE WHEN count(*) FILTER (WHERE a) > 0 THEN list_sort(list(m) FILTER (WHERE a)) END FROM t GROUP BY k')).toBe(
      'SELECT CASE WHEN count(*) FILTER (WHERE a) > 0 THEN array_sort(collect_list(m) FILTER (WHERE a)) END FROM t GROUP BY k',
    );
  });

  it('packs structs as named_struct, with the same field names in the same order', () => {
    expect(renderSpark('SELECT list_sort(list(struct_pack(channel := coalesce(c, \'x\'), n := count(*), us := list_sort(list(d))))) FROM t')).toBe(
      "SELECT array_sort(collect_list(named_struct('channel', coalesce(c, 'x'), 'n', count(*), 'us', array_sort(collect_list(d))))) FROM t",
    );
    expect(() => renderSpark('SELECT struct_pack(a) FROM t')).toThrow(UnsupportedSql);
    expect(() => renderSpark('SELECT struct_pack(a := 1, 2) FROM t')).toThrow(UnsupportedSql);
  });

  it('turns epoch_us into unix_micros, and refuses epoch', () => {
    expect(renderSpark('SELECT (epoch_us(coalesce(a, $e::TIMESTAMPTZ)) - epoch_us(b)) / 1000000.0 / 86400.0')).toBe('SELECT (unix_micros(coalesce(a, CAST(:e AS TIMESTAMP))) - unix_micros(b)) / 1000000.0D / 86400.0D');
    expect(() => renderSpark('SELECT epoch(a - b)')).toThrow(UnsupportedSql);
    expect(() => renderSpark('SELECT epoch(ts)')).toThrow(UnsupportedSql);
  });

  it('spells semi joins and EXCLUDE the Spark way, and drops comments', () => {
    expect(renderSpark('SELECT l.* EXCLUDE (customer_id, x) FROM e SEMI JOIN t USING (id) -- $not_bound::DATE\n')).toBe('SELECT l.`(customer_id|x)?+.+` FROM e LEFT SEMI JOIN t USING (id)');
    expect(renderSpark('SELECT 1 FROM a LEFT SEMI JOIN b ON a.x = b.x')).toBe('SELECT 1 FROM a LEFT SEMI JOIN b ON a.x = b.x');
  });

  it('refuses what it has no rule for instead of guessing', () => {
    for (const text of ["SELECT strftime(ts, '%Y')", 'SELECT list_value(x) FROM t', "SELECT list_sort(list(x), 'DESC') FROM t", 'SELECT x FROM t QUALIFY row_number() OVER () = 1', 'SELECT x::HUGEINT', "SELECT 'a\\b'", 'SELECT `x` FROM t']) {
      expect(() => renderSpark(text), text).toThrow(UnsupportedSql);
    }
  });
});

describe('the event-sized statements of queries/', () => {
  const sources = [analysisBaseSql(), ...factDefinitions().values()];

  it('finds the fact definitions Spark needs (the SELECT of each INSERT)', () => {
    expect([...factDefinitions().keys()].sort()).toEqual(['fact_contacts', 'fact_fees', 'fact_invoices', 'fact_payment_months']);
    // Each is a SELECT (the DELETEs before them are the DuckDB upkeep's own business).
    for (const text of factDefinitions().values()) expect(text).toMatch(/^(WITH touched AS|SELECT )/);
  });

  it('render with no DuckDB-only spelling left', () => {
    for (const text of sources) {
      const spark = renderSpark(text);
      expect(spark).not.toMatch(/::|\$[a-z]|\barg_(max|min)\(|\bepoch\(|\bEXCLUDE\b|TIMESTAMPTZ|(?<!LEFT )SEMI JOIN|--/);
      expect(sparkParams(spark).length).toBeGreaterThan(0);
    }
    expect(sparkParams(renderSpark(analysisBaseSql())).sort()).toEqual(['after', 'exp_end', 'exp_start', 'landmark', 'outcome_end', 'overdue_before', 'upto']);
  });

  it('splits files into statements like the facts upkeep does', () => {
    expect(statementsOf(sql('facts/refresh_invoices')).map((s) => s.replace(/^(\s*--[^\n]*\n)*\s*/, '').split(/\s/)[0])).toEqual(['DELETE', 'INSERT']);
  });
});
