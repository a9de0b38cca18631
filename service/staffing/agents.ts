/**
 * The named agents the roster assigns (issue #16), stored in DuckDB (`staffing_agents`, migration
 * 3), one row per agent so an operator can read them with SQL. A PUT replaces the whole list in
 * one transaction: the support lead's list is the truth, and a half-replaced team would roster
 * people who left. The list order is kept (it is the order the roster lists agents in). Saving
 * bumps the database version like every committed write, which drops cached plans.
 */
import type { Database } from '../db/database.ts';
import type { Agent } from './roster.ts';

export interface StoredAgents {
  agents: Agent[];
  savedAt: string | null;
}

export async function loadAgents(db: Database): Promise<StoredAgents> {
  const rows = await db.withConnection(
    async (c) =>
      (
        await c.runAndReadAll(
          `SELECT agent_id, name, contracted_hours_per_week, skills::VARCHAR AS skills, unavailable_weekdays::VARCHAR AS weekdays, unavailable_dates::VARCHAR AS dates,
                  strftime(saved_at, '%Y-%m-%dT%H:%M:%SZ') AS saved_at
           FROM staffing_agents ORDER BY position`,
        )
      ).getRowObjects(),
  );
  return {
    agents: rows.map((r) => ({
      agent_id: String(r.agent_id),
      name: String(r.name),
      contracted_hours_per_week: Number(r.contracted_hours_per_week),
      skills: JSON.parse(String(r.skills)),
      unavailable_weekdays: JSON.parse(String(r.weekdays)),
      unavailable_dates: JSON.parse(String(r.dates)),
    })),
    savedAt: rows.length ? String(rows[0].saved_at) : null,
  };
}

export async function saveAgents(db: Database, agents: Agent[]): Promise<StoredAgents> {
  await db.transaction(async (c) => {
    await c.run(`DELETE FROM staffing_agents`);
    for (const [i, a] of agents.entries()) {
      await c.run(`INSERT INTO staffing_agents VALUES ($id, $pos, $name, $hours, $skills::JSON, $weekdays::JSON, $dates::JSON, now())`, {
        id: a.agent_id,
        pos: i,
        name: a.name,
        hours: a.contracted_hours_per_week,
        skills: JSON.stringify(a.skills),
        weekdays: JSON.stringify(a.unavailable_weekdays),
        dates: JSON.stringify(a.unavailable_dates),
      });
    }
  });
  return loadAgents(db);
}
