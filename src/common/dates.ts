/** Dates in Europe/Berlin, where deadlines are set and read, with the zone's own daylight-saving rules. */
export const BERLIN = 'Europe/Berlin';

const parts = new Intl.DateTimeFormat('en-GB', {
  timeZone: BERLIN, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
});

function berlinFields(at: Date): Record<string, number> {
  return Object.fromEntries(parts.formatToParts(at).filter((p) => p.type !== 'literal').map((p) => [p.type, Number(p.value)]));
}

/** Milliseconds Berlin is ahead of UTC at that instant (1 or 2 hours). */
function berlinOffsetMs(at: Date): number {
  const f = berlinFields(at);
  return Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second) - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant of a wall-clock time in Berlin ("2026-09-30", "23:59"). */
export function berlinInstant(day: string, time = '00:00'): Date {
  const [y, m, d] = day.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  const first = wall - berlinOffsetMs(new Date(wall));
  return new Date(wall - berlinOffsetMs(new Date(first)));
}

/** The calendar day in Berlin of an instant, as YYYY-MM-DD. */
export function berlinDay(at: Date): string {
  const f = berlinFields(at);
  return `${f.year}-${String(f.month).padStart(2, '0')}-${String(f.day).padStart(2, '0')}`;
}

/** The wall-clock time in Berlin of an instant, as HH:MM. */
export function berlinTime(at: Date): string {
  const f = berlinFields(at);
  return `${String(f.hour).padStart(2, '0')}:${String(f.minute).padStart(2, '0')}`;
}

/** The last moment of a Berlin calendar day: a reply-by date includes the whole day. */
export function endOfBerlinDay(day: string): Date {
  const next = new Date(`${day}T12:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return new Date(berlinInstant(next.toISOString().slice(0, 10)).getTime() - 1);
}

export function isCalendarDay(value: unknown): value is string {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
}
