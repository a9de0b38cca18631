/**
 * The staffing plan's CSV comes from the service (GET /v1/staffing/plan.csv with the page's
 * parameters: every interval of every channel).
 */
import { downloadFromService } from '$lib/download.ts';

export const downloadPlanCsv = (query: Record<string, string>): Promise<number> => downloadFromService('/v1/staffing/plan.csv', query, 'staffing-plan.csv');
