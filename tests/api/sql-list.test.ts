import { describe, expect, it } from 'vitest';
import { PgDialect } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { sqlList, sqlLiterals } from '../../api/db/sql-list.ts';
import { openStatuses } from '../../api/contract/vocabulary.ts';

const query = (q: ReturnType<typeof sql>) => new PgDialect().sqlToQuery(q);

describe('vocabulary lists in SQL', () => {
  it('binds a list as parameters', () => {
    expect(query(sql`status IN ${sqlList(['collected', 'claimed'])}`)).toMatchObject({ sql: 'status IN ($1, $2)', params: ['collected', 'claimed'] });
  });

  it('writes the vocabulary as constants, for a kept plan to prove a partial index from', () => {
    expect(query(sql`status IN ${sqlLiterals(openStatuses)}`)).toMatchObject({ params: [], sql: `status IN (${openStatuses.map((s) => `'${s}'`).join(', ')})` });
  });

  it.each(["x') OR true --", 'Collected', '', "o'clock"])('refuses %j as a constant', (word) => {
    expect(() => sqlLiterals(['collected', word])).toThrow(/vocabulary words/);
  });
});
