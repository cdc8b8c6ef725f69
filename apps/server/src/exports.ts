import type { IncomingMessage, ServerResponse } from 'node:http';
import { callerOf, type Context } from '@strata/api';
import { maskName, maskPhone } from '@strata/core';
import {
  appendAudit,
  campaignCodeOf,
  csvCell,
  getList,
  scopeCondition,
  type StrataDb,
} from '@strata/db';

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(JSON.stringify(body));
}

/**
 * `GET /api/lists/:id.csv`: a list's treatment customers (the ones to contact; the control group
 * is never exported) within the caller's scope, for CRM and call-out systems: customer number,
 * name and phone masked (unmasked only with the permission, `?unmasked=1&reason=…`), RM, org unit,
 * channel. Every export is in the audit log, with how many rows and whether unmasked.
 */
export function handleListExport(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  options: { db: StrataDb; ctx: Context; now: () => Date },
): void {
  const caller = callerOf(options.ctx);
  if (!caller) return json(res, 401, { error: 'Sign in first.' });
  if (caller.scope.role === 'viewer')
    return json(res, 403, { error: 'A viewer may not export lists.' });
  const m = /^\/api\/lists\/(\d+)\.csv$/.exec(url.pathname);
  if (req.method !== 'GET' || !m) return json(res, 404, { error: 'not found' });
  const id = Number(m[1]);
  const list = getList(options.db, id);
  if (!list) return json(res, 404, { error: `No list ${id}.` });
  const unmasked = url.searchParams.get('unmasked') === '1';
  const reason = (url.searchParams.get('reason') ?? '').trim();
  if (unmasked && !caller.canUnmask)
    return json(res, 403, { error: 'Your role may not export unmasked personal data.' });
  if (unmasked && reason.length < 4)
    return json(res, 400, {
      error: 'State the reason for an unmasked export (reason=…, 4+ characters).',
    });
  const where = scopeCondition(caller.scope);
  const rows = options.db.sqlite
    .prepare(
      `SELECT c.external_id AS externalId, c.kind, c.name, c.phone, r.code AS rmCode, u.code AS orgUnitCode, e.channel
       FROM list_entries e JOIN customers c ON c.id = e.customer_id JOIN org_units u ON u.id = c.org_unit_id
       LEFT JOIN relationship_managers r ON r.id = e.rm_id
       WHERE e.list_id = ? AND e.arm = 'treatment' AND ${where.sql} ORDER BY c.id`,
    )
    .all(id, ...where.params) as {
    externalId: string;
    kind: string;
    name: string;
    phone: string | null;
    rmCode: string | null;
    orgUnitCode: string;
    channel: string;
  }[];
  const lines = [
    'campaign_code,list_id,strategy,version,customer_id,name,phone,rm_code,org_unit_code,channel',
  ];
  const code = campaignCodeOf(list.strategyKey, id);
  for (const r of rows) {
    const name = unmasked || r.kind !== 'retail' ? r.name : maskName(r.name);
    const phone = r.phone === null ? '' : unmasked ? r.phone : maskPhone(r.phone);
    lines.push(
      [
        code,
        id,
        list.strategyKey,
        list.version,
        r.externalId,
        name,
        phone,
        r.rmCode ?? '',
        r.orgUnitCode,
        r.channel,
      ]
        .map((v) => csvCell(v))
        .join(','),
    );
  }
  appendAudit(
    options.db,
    {
      actor: caller.actor,
      action: 'list.export',
      target: `list:${id}`,
      detail: { rows: rows.length, unmasked, ...(unmasked && { reason }) },
      origin: options.ctx.http.ip ?? null,
    },
    options.now(),
  );
  res.writeHead(200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="list-${id}-${list.strategyKey}.csv"`,
    'cache-control': 'no-store',
  });
  // a byte-order mark, so Excel opens the Chinese names as UTF-8
  res.end(`\uFEFF${lines.join('\r\n')}\r\n`);
}
