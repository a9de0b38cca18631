/**
 * Zod schemas of the events, derived from contract.ts. They document the contract in the OpenAPI
 * document; the rows themselves are validated by the SQL generated from the same contract.
 */
import { z } from 'zod';
import { ENVELOPE, EVENT_TYPES, REJECTION_CODES, type FieldRule, type FieldSpec } from './contract.ts';

function zodOf(rule: FieldRule): z.ZodType {
  switch (rule.kind) {
    case 'string':
      return z.string().min(1).max(rule.max);
    case 'enum':
      return z.enum(rule.values as [string, ...string[]]);
    case 'country':
      return z.string().regex(/^[A-Z]{2}$/).describe('ISO 3166-1 alpha-2');
    case 'currency':
      return z.string().regex(/^[A-Z]{3}$/).describe('ISO 4217');
    case 'date':
      return z.iso.date();
    case 'number': {
      const n = z.number().min(rule.min).max(rule.max);
      return rule.integer ? n.int() : n;
    }
  }
}

function fieldsOf(fields: Record<string, FieldSpec>): Record<string, z.ZodType> {
  return Object.fromEntries(
    Object.entries(fields).map(([name, spec]) => {
      let schema = zodOf(spec.rule);
      if (spec.description) schema = schema.describe(spec.description);
      return [name, spec.required ? schema : schema.optional()];
    }),
  );
}

const envelope = {
  ...fieldsOf(ENVELOPE as unknown as Record<string, FieldSpec>),
  occurred_at: z.iso.datetime({ offset: true }).describe('RFC 3339 with offset or Z; at most 1 day in the future'),
};

export const EventSchemas = Object.fromEntries(
  Object.entries(EVENT_TYPES).map(([type, fields]) => [
    type,
    z.looseObject({ ...envelope, type: z.literal(type), ...fieldsOf(fields as Record<string, FieldSpec>) }).describe(`${type} event; unknown fields are kept in extra`),
  ]),
);

export const EventSchema = z.discriminatedUnion('type', Object.values(EventSchemas) as unknown as [z.ZodObject, ...z.ZodObject[]]);

export const IngestResponse = z.object({
  batch_id: z.number().int(),
  accepted: z.number().int().describe('new events stored'),
  duplicates: z.number().int().describe('valid rows whose event_id was already stored (or repeated in this request)'),
  rejected: z.number().int().describe('rows stored in rejected rows instead'),
  errors: z
    .array(z.object({ row: z.number().int().describe('1-based row (line, array position, CSV record)'), event_id: z.string().nullable(), code: z.enum(REJECTION_CODES), message: z.string() }))
    .describe('the first 100 rejected rows'),
});
