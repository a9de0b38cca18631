/**
 * One agent's shifts as an iCalendar file (RFC 5545), so each agent can subscribe to or import
 * their roster in any calendar app. Shift times are local wall-clock time in the plan's zone; the
 * file gives them in UTC (`…Z`), because a TZID would oblige the file to carry a VTIMEZONE block
 * that many generators get wrong, while UTC instants are read the same by every client and shown
 * in the reader's own zone. The conversion asks Intl for the zone's offset at the instant, twice,
 * which lands on the right side of a DST change. UIDs are stable per agent, day and channel, so a
 * re-imported roster updates events instead of duplicating them; DTSTAMP is when the agents were
 * saved, so the same roster gives the same file. Text is escaped and lines folded at 75 octets.
 */
import type { Assignment } from './roster.ts';

/** Offset of `timeZone` from UTC at `instant`, in minutes. */
function offsetMinutes(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(instant));
  const v = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  return (Date.UTC(v('year'), v('month') - 1, v('day'), v('hour'), v('minute'), v('second')) - instant) / 60_000;
}

/** The UTC instant (ms) of a local wall time 'YYYY-MM-DDTHH:MM' in `timeZone`. */
export function localToUtc(local: string, timeZone: string): number {
  const wall = Date.parse(`${local}:00Z`);
  if (timeZone === 'UTC') return wall;
  let guess = wall - offsetMinutes(wall, timeZone) * 60_000;
  guess = wall - offsetMinutes(guess, timeZone) * 60_000;
  return guess;
}

const stamp = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
const escapeText = (s: string) => s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');

/** Folds a content line at 75 octets (continuation lines start with a space). */
function fold(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= 75) return line;
  const out: string[] = [];
  let start = 0;
  let limit = 75;
  while (start < bytes.length) {
    let end = Math.min(bytes.length, start + limit);
    // never split a UTF-8 sequence
    while (end < bytes.length && (bytes[end] & 0xc0) === 0x80) end--;
    out.push((out.length ? ' ' : '') + bytes.subarray(start, end).toString('utf8'));
    start = end;
    limit = 74;
  }
  return out.join('\r\n');
}

const CHANNEL_NAMES: Record<string, string> = { phone: 'Phone', chat: 'Chat', email: 'E-mail', invoice_message: 'Invoice messages' };

export function agentCalendar(o: { agentId: string; name: string; timeZone: string; savedAt: string | null; assignments: Assignment[] }): string {
  const dtstamp = stamp(o.savedAt ? Date.parse(o.savedAt) : 0);
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Invoice Pulse//Staffing roster//EN', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH', `X-WR-CALNAME:${escapeText(`Shifts: ${o.name}`)}`];
  for (const a of o.assignments) {
    const endDate = a.end === '24:00' ? new Date(Date.parse(`${a.date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10) : a.date;
    const start = localToUtc(`${a.date}T${a.start}`, o.timeZone);
    const end = localToUtc(`${endDate}T${a.end === '24:00' ? '00:00' : a.end}`, o.timeZone);
    const lunch = a.lunch_start ? `Lunch ${a.lunch_start}–${a.lunch_end} (${o.timeZone}). ` : '';
    lines.push(
      'BEGIN:VEVENT',
      `UID:${o.agentId}-${a.date}-${a.channel}@invoice-pulse`,
      `DTSTAMP:${dtstamp}`,
      `DTSTART:${stamp(start)}`,
      `DTEND:${stamp(end)}`,
      `SUMMARY:${escapeText(`${CHANNEL_NAMES[a.channel] ?? a.channel} shift ${a.start}–${a.end}`)}`,
      `DESCRIPTION:${escapeText(`${lunch}${a.paid_hours} paid hours${a.late ? ', late shift' : ''}${a.weekend ? ', weekend' : ''}.`)}`,
      `CATEGORIES:${escapeText(CHANNEL_NAMES[a.channel] ?? a.channel)}`,
      'TRANSP:OPAQUE',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(fold).join('\r\n') + '\r\n';
}
