/**
 * Audience export: the CSV comes from the service (GET /v1/offers/audience.csv, streamed), not from
 * the page's table, so the file holds the whole audience, not the visible page.
 */
import { downloadFromService } from '$lib/download.ts';

export const downloadAudienceCsv = (query: URLSearchParams): Promise<number> => downloadFromService('/v1/offers/audience.csv', query, 'audience.csv');
