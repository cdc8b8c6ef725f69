// Who a strategy's audience selects: a rule as SQL, a map cell from the month's insight run,
// the customers with a moment-of-truth event in the last days.
import {
  MOT_EVENT_TYPES,
  NO_SEGMENT,
  compileRuleSql,
  isoDateOf,
  type Period,
  type StrategyDefinition,
} from '@strata/core';
import { runColumn, runCustomers } from './columns-cache.js';
import { ruleDialect } from './dialect.js';
import { getLatestInsightRun } from './insight-refresh.js';
import { StrategyError } from './strategies.js';
import type { StrataDb } from './types.js';

/** The insight_customers column of each dimension a map cell can name. */
export const CELL_COLUMNS: Readonly<Record<string, string>> = {
  primary: 'primary_segment',
  aum_tier: 'value_tier',
  corporate_tier: 'contribution_tier',
  risk_tier: 'risk_tier',
  enterprise_size: 'enterprise_size',
  cluster: 'cluster',
  pareto: 'pareto',
};

/** The customer ids a strategy's audience selects for a month. */
export function audienceMembers(
  db: StrataDb,
  definition: StrategyDefinition,
  period: Period,
  today: number,
): Int32Array {
  const audience = definition.audience;
  switch (audience.kind) {
    case 'rule': {
      const { sql, params } = compileRuleSql(audience.rule, {
        dialect: ruleDialect(db),
        asOf: period,
      });
      return Int32Array.from(
        db.sqlite
          .prepare(`SELECT customer_id FROM (${sql}) audience ORDER BY 1`)
          .pluck()
          .all(...params) as number[],
      );
    }
    case 'cell': {
      const run = getLatestInsightRun(db, period);
      if (!run)
        throw new StrategyError(
          `No insight run for ${period}: refresh it before making lists.`,
          'BAD_REQUEST',
        );
      const at = audience.segment.indexOf(':');
      const dimension = at < 0 ? 'primary' : audience.segment.slice(0, at);
      const value = at < 0 ? audience.segment : audience.segment.slice(at + 1);
      const column = CELL_COLUMNS[dimension];
      if (!column)
        throw new StrategyError(
          `A map cell cannot name the dimension "${dimension}".`,
          'BAD_REQUEST',
        );
      // from the run's in-memory columns (a run never changes): ascending ids
      const none = dimension === 'primary' && value === NO_SEGMENT;
      const { ids } = runCustomers(db, run.id);
      const rows = runColumn(db, run.id, column);
      const stages = runColumn(db, run.id, 'stage');
      const stage = stages.values.indexOf(audience.stage);
      const row = none ? -1 : rows.values.indexOf(value);
      if (stage < 0 || (!none && row < 0)) return new Int32Array(0);
      const out: number[] = [];
      for (let p = 0; p < ids.length; p++)
        if (stages.codes[p] === stage && rows.codes[p] === row) out.push(ids[p] as number);
      return Int32Array.from(out);
    }
    case 'event': {
      if (!MOT_EVENT_TYPES.includes(audience.event)) return new Int32Array(0);
      const since = isoDateOf(today - audience.withinDays);
      return Int32Array.from(
        db.sqlite
          .prepare(
            'SELECT DISTINCT customer_id FROM events WHERE type = ? AND occurred_on >= ? AND occurred_on <= ? ORDER BY 1',
          )
          .pluck()
          .all(audience.event, since, isoDateOf(today)) as number[],
      );
    }
  }
}
