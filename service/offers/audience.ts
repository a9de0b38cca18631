/**
 * The audience of the recommendations: the customers with their best offer, as JSON pages for the
 * dashboard's table and as a CSV export for the marketer's campaign tool. Both read the same cached
 * table with the same filters and order (expected value, then customer id), so the export equals the
 * API's audience row for row. The CSV is formatted by DuckDB (queries/offers/audience_csv.sql) and
 * streamed one result chunk (~2 048 rows) at a time as the client reads, so a 100 000-customer
 * audience never sits in memory as one string and a client that goes away stops the query.
 */
import { filteredStatement, overFiltered, type Engine } from '../analytics/runner.ts';
import type { Filters } from '../analytics/contracts.ts';
import type { AudiencePage, AudienceRow } from './contracts.ts';
import type { OfferState } from './engine.ts';
import { streamLines } from '../db/stream-lines.ts';

export interface AudienceOptions {
  offer_id?: string;
  min_expected_value?: number;
  sort: AudiencePage['sort'];
  order: 'asc' | 'desc';
}

export const CSV_HEADER = 'customer_id,offer_id,channel,risk,expected_reduction,expected_value,value_currency,reason,vertical,market,payment_method_class,monthly_price,currency';

const extra = (o: AudienceOptions) => ({ offer_id: o.offer_id ?? null, min_value: o.min_expected_value ?? null });

export async function audiencePage(engine: Engine, state: OfferState, filters: Filters, o: AudienceOptions & { limit: number; offset: number }): Promise<AudiencePage> {
  const [count] = await overFiltered(engine, state.tables.best, filters, 'offers/audience_count', { params: extra(o) });
  const rows = await overFiltered<AudienceRow>(engine, state.tables.best, filters, 'offers/audience_page', { identifiers: { sort: o.sort, order: o.order }, params: { ...extra(o), limit: o.limit, offset: o.offset } });
  return {
    as_of: state.asOf,
    offer_id: o.offer_id ?? null,
    total: Number(count?.total ?? 0),
    limit: o.limit,
    offset: o.offset,
    sort: o.sort,
    order: o.order,
    value_currency: state.catalogue.document.reporting_currency,
    rows: rows.map((r) => ({ ...r, monthly_price: r.monthly_price === null ? null : Number(r.monthly_price) })),
  };
}

/** The audience as a CSV byte stream (header first); the database connection is held only while streaming. */
export function audienceCsv(engine: Engine, state: OfferState, filters: Filters, o: AudienceOptions): ReadableStream<Uint8Array> {
  const { text, params } = filteredStatement(state.tables.best, filters, 'offers/audience_csv', {
    identifiers: { sort: o.sort, order: o.order },
    params: { ...extra(o), value_currency: state.catalogue.document.reporting_currency },
  });
  return streamLines(engine.db, text, params, CSV_HEADER);
}
