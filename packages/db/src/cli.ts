#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { describeRule, parseRule, toLocale } from '@strata/core';
import { appendAudit, verifyAuditLog } from './audit.js';
import { createServiceToken, listUsers, revokeServiceToken } from './auth.js';
import { ROLES, type Role } from './schema/auth.js';
import { openDatabase } from './client.js';
import { checkImportArgs, runImport } from './cli/import.js';
import { bar, fail } from './cli/output.js';
import { runUserCommand } from './cli/user.js';
import type { ImportKind } from './import/catalogue.js';
import { listImportRuns } from './import/history.js';
import { backupDatabase, restoreDatabase } from './backup.js';
import { runInsightRefresh } from './insight-refresh.js';
import { makeReadyProfiles } from './ready-profiles.js';
import { runLifecycleRefresh } from './lifecycle-refresh.js';
import { getSegmentPreview } from './queries/segments.js';
import { seedDemoBank } from './seed/index.js';

const usage = `Usage: strata <command> [options]

Commands:
  migrate                       create or upgrade the database
  seed [--seed N] [--retail N] [--corporate N]
                                load the seeded demo bank into an empty database
  refresh [--period YYYY-MM] [--lifecycle-only] [--ready-profiles yes|no]
                                run the lifecycle refresh (all months) and the insight
                                refresh (tiers, segments, clusters, RFM) for a month; then
                                make every customer's profile ahead of time (default: from
                                100,000 customers on)
  segment preview FILE.json [--period YYYY-MM] [--sample N] [--lang en]
                                check a rule file, print its sentence, count and a sample
  profiles                      make every customer's profile ahead of time for the latest
                                run (a large bank's refresh does it; the server keeps them
                                current by itself)
  runs                          list insight runs with their timings
  audit verify                  check the audit log's hash chain (exit 1 if broken)
  backup --to FILE              copy the live database (online; the server keeps running),
                                then check the copy's integrity and audit chain; on
                                PostgreSQL a pg_dump archive, counted in the same snapshot
  restore --from FILE           put a checked backup in place of the database (stop the
                                server first); applies pending migrations; on PostgreSQL
                                pg_restore into an empty database (create it first)
  token create --name NAME --role ROLE [--org-unit ID] [--rm ID]
                                create a service token (printed once) for a machine
  token revoke --name NAME      revoke a service token
  import KIND FILE [--source NAME] [--save-mapping] [--map FIELD=COLUMN ...]
         [--encoding utf-8|utf-8-bom|gbk] [--delimiter C] [--quote C]
         [--date-format FIELD=LAYOUT ...] [--skip-errors] [--errors FILE] [--as NAME]
                                import a CSV or JSON file (KIND: relationship_managers,
                                customers, monthly_metrics, events, outcomes, consents). Any bad row
                                fails the whole file (nothing written) unless --skip-errors;
                                bad rows go to the error file (default FILE.errors.csv)
  imports                       list recent imports
  user create --username U --display-name NAME --role ROLE [--org-unit ID] [--rm ID]
              [--can-unmask]    create a user; the password is read from standard input
                                (or $STRATA_PASSWORD), at least 12 characters
  user disable|enable --username U
  users                         list users

Options:
  --db FILE    the SQLite database, or a postgres://user:password@host/db URL
               (default: $STRATA_DB or data/strata.db)
  -h, --help   this text`;

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      db: { type: 'string' },
      seed: { type: 'string' },
      retail: { type: 'string' },
      corporate: { type: 'string' },
      period: { type: 'string' },
      sample: { type: 'string' },
      lang: { type: 'string' },
      'lifecycle-only': { type: 'boolean' },
      'ready-profiles': { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      'org-unit': { type: 'string' },
      rm: { type: 'string' },
      source: { type: 'string' },
      'save-mapping': { type: 'boolean' },
      map: { type: 'string', multiple: true },
      encoding: { type: 'string' },
      delimiter: { type: 'string' },
      quote: { type: 'string' },
      'date-format': { type: 'string', multiple: true },
      'skip-errors': { type: 'boolean' },
      errors: { type: 'string' },
      as: { type: 'string' },
      username: { type: 'string' },
      'display-name': { type: 'string' },
      'can-unmask': { type: 'boolean' },
      to: { type: 'string' },
      from: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, sub, file] = positionals;
  if (values.help || !command) {
    console.log(usage);
    process.exit(values.help ? 0 : 2);
  }
  const path = values.db ?? process.env.STRATA_DB ?? 'data/strata.db';
  if (values.period !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(values.period))
    fail(`--period must be written YYYY-MM, e.g. 2026-10 (got ${values.period})`);

  // Backups run while the server is up (SQLite's online backup API); a restore needs it stopped.
  if (command === 'backup' || command === 'restore') {
    const other = command === 'backup' ? values.to : values.from;
    if (!other)
      fail(
        command === 'backup'
          ? 'Usage: strata backup --to FILE [--db FILE|URL]'
          : 'Usage: strata restore --from FILE [--db FILE|URL] (stop the server first)',
      );
    const run =
      command === 'backup'
        ? backupDatabase(path, other, (done, total) => bar('backup', done, total))
        : restoreDatabase(other, path);
    run
      .then((r) => {
        if (command === 'backup') bar('backup', r.pages, r.pages);
        const rows = r.tables.customers ?? 0;
        console.log(
          `${command === 'backup' ? 'backed up' : 'restored'} ${r.path}: ${(r.bytes / 1e6).toFixed(1)} MB, ${r.pages > 0 ? `${r.pages} pages, ` : ''}${rows} customers, ${r.auditEntries} audit entries (chain verified), integrity ${r.integrity}, ${r.ms} ms`,
        );
      })
      .catch((error: unknown) => {
        console.error(error instanceof Error ? error.message : error);
        process.exitCode = 1;
      });
    return;
  }

  // Check a rule file before opening anything, so a bad file changes nothing.
  let rule: ReturnType<typeof parseRule> | undefined;
  if (command === 'segment') {
    if (sub !== 'preview' || !file)
      fail('Usage: strata segment preview FILE.json [--period YYYY-MM]');
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      fail(`${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const body =
      json && typeof json === 'object' && 'rule' in json ? (json as { rule: unknown }).rule : json;
    rule = parseRule(body);
    if (!rule.ok)
      fail(
        `${file}: the rule is invalid\n${rule.issues.map((i) => `  at ${i.path || '(root)'}: ${i.message}`).join('\n')}`,
      );
  } else if (command === 'audit' && sub !== 'verify') {
    fail('Usage: strata audit verify');
  } else if (
    command === 'token' &&
    !((sub === 'create' && values.name && values.role) || (sub === 'revoke' && values.name))
  ) {
    fail(
      'Usage: strata token create --name NAME --role ROLE [--org-unit ID] [--rm ID] | strata token revoke --name NAME',
    );
  } else if (
    command === 'token' &&
    values.role !== undefined &&
    !(ROLES as readonly string[]).includes(values.role)
  ) {
    fail(`--role must be one of ${ROLES.join(', ')}`);
  } else if (command === 'import') {
    checkImportArgs(values, sub, file);
  } else if (command === 'user') {
    if (!['create', 'disable', 'enable'].includes(sub ?? '') || !values.username)
      fail(
        'Usage: strata user create --username U --display-name NAME --role ROLE [--org-unit ID] [--rm ID] [--can-unmask] | strata user disable|enable --username U',
      );
    if (sub === 'create' && (!values['display-name'] || !values.role))
      fail('strata user create needs --display-name and --role');
    if (values.role !== undefined && !(ROLES as readonly string[]).includes(values.role))
      fail(`--role must be one of ${ROLES.join(', ')}`);
  } else if (
    ![
      'migrate',
      'seed',
      'refresh',
      'profiles',
      'runs',
      'audit',
      'token',
      'imports',
      'users',
    ].includes(command)
  ) {
    console.log(usage);
    process.exit(2);
  }

  const db = openDatabase(path);
  try {
    if (command === 'import') {
      runImport(db, values, sub as ImportKind, file as string);
      return;
    }
    if (command === 'users') {
      for (const u of listUsers(db))
        console.log(
          [
            u.id,
            u.username,
            u.displayName,
            u.role,
            u.orgUnitId ?? '',
            u.rmId ?? '',
            u.canUnmask ? 'can unmask' : '',
            u.disabled ? 'disabled' : '',
          ].join('\t'),
        );
      return;
    }
    if (command === 'user') {
      runUserCommand(db, values, sub as 'create' | 'disable' | 'enable');
      return;
    }
    if (command === 'imports') {
      for (const r of listImportRuns(db))
        console.log(
          [
            r.id,
            r.kind,
            r.fileName,
            r.status,
            r.startedAt,
            `${r.rowsRead} read`,
            `${r.rowsWritten} written`,
            `${r.rowsRejected} refused`,
            r.error ?? '',
          ].join('\t'),
        );
      return;
    }
    if (command === 'seed') {
      const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
      const options = Object.fromEntries(
        Object.entries({
          seed: num(values.seed),
          retail: num(values.retail),
          corporate: num(values.corporate),
        }).filter(([, v]) => v !== undefined),
      );
      const result = seedDemoBank(db, options, bar);
      console.log(
        `seeded ${result.customers} customers, ${result.metrics} monthly rows, ${result.events} events in ${(result.insertMs / 1000).toFixed(1)} s; lifecycle run ${result.lifecycle.runId}, insight run ${result.insight.runId}`,
      );
    } else if (command === 'refresh') {
      const life = runLifecycleRefresh(db, {
        onProgress: (s, d, t) => bar(`lifecycle ${s}`, d, t),
      });
      console.log(
        `lifecycle run ${life.runId}: ${life.customers} customers × ${life.periods.length} months`,
        life.timings,
      );
      const ready = values['ready-profiles'];
      if (ready !== undefined && ready !== 'yes' && ready !== 'no')
        fail(`--ready-profiles is yes or no, not ${JSON.stringify(ready)}`);
      if (!values['lifecycle-only']) {
        const insight = runInsightRefresh(db, {
          ...(values.period && { period: values.period }),
          ...(ready !== undefined && { readyProfiles: ready === 'yes' }),
          onProgress: (s, d, t) => bar(s === 'profiles' ? 'ready profiles' : `insight ${s}`, d, t),
        });
        console.log(
          `insight run ${insight.runId} for ${insight.period}: ${insight.customers} customers`,
          insight.timings,
        );
        if (insight.profiles)
          console.log(
            `ready profiles: ${insight.profiles.customers} customers, ${(insight.profiles.bytes / 2 ** 20).toFixed(1)} MiB, ${insight.profiles.ms} ms`,
          );
        if (insight.profilesError)
          console.error(
            `ready profiles not made (profiles are explained live): ${insight.profilesError}`,
          );
      }
    } else if (command === 'segment' && rule?.ok) {
      const locale = toLocale(values.lang);
      const period =
        values.period ??
        (db.sqlite.prepare('SELECT max(period) FROM monthly_metrics').pluck().get() as
          string | null);
      if (!period) fail('No monthly data yet: seed or import first.');
      const preview = getSegmentPreview(db, rule.rule, period, Number(values.sample ?? 10));
      console.log(describeRule(rule.rule, locale));
      console.log(
        `${period}: ${preview.count} of ${preview.universe} customers (${((preview.count / Math.max(1, preview.universe)) * 100).toFixed(1)} %), ${preview.elapsedMs} ms`,
      );
      for (const s of preview.sample)
        console.log(
          `  ${s.externalId}  ${s.kind.padEnd(9)} ${locale === 'en' ? s.branchEn : s.branch}  ${s.aum ?? '—'}`,
        );
    } else if (command === 'profiles') {
      const made = makeReadyProfiles(db, { onProgress: (d, t) => bar('ready profiles', d, t) });
      console.log(
        `ready profiles of run ${made.runId}: ${made.customers} customers, ${(made.bytes / 2 ** 20).toFixed(1)} MiB, ${made.ms} ms`,
      );
    } else if (command === 'runs') {
      const rows = db.sqlite
        .prepare(
          'SELECT id, period, status, started_at, customers, timings, error FROM insight_runs ORDER BY id DESC LIMIT 20',
        )
        .all() as Record<string, unknown>[];
      for (const r of rows)
        console.log(
          `${r.id}\t${r.period}\t${r.status}\t${r.started_at}\t${r.customers}\t${r.timings ?? r.error ?? ''}`,
        );
    } else if (command === 'token' && sub === 'create') {
      const num = (v: string | undefined) => (v === undefined ? null : Number(v));
      const created = db.sqlite.transaction(() => {
        const made = createServiceToken(db, {
          name: values.name as string,
          role: values.role as Role,
          orgUnitId: num(values['org-unit']),
          rmId: num(values.rm),
        });
        appendAudit(db, {
          actor: 'cli',
          action: 'token.create',
          target: `token:${made.row.name}`,
          detail: { role: made.row.role },
          origin: 'cli',
        });
        return made;
      })();
      console.log(
        `service token "${created.row.name}" (${created.row.role}) — shown once, store it now:\n${created.token}`,
      );
    } else if (command === 'token') {
      const revoked = db.sqlite.transaction(() => {
        const ok = revokeServiceToken(db, values.name as string);
        if (ok)
          appendAudit(db, {
            actor: 'cli',
            action: 'token.revoke',
            target: `token:${values.name}`,
            origin: 'cli',
          });
        return ok;
      })();
      if (!revoked) fail(`no live service token named ${values.name}`);
      console.log(`revoked service token "${values.name}"`);
    } else if (command === 'audit') {
      const result = verifyAuditLog(db);
      if (result.ok) console.log(`audit log intact: ${result.checked} entries`);
      else {
        console.error(
          `audit log BROKEN at entry ${result.broken?.id}: ${result.broken?.reason} (${result.checked} entries before it are intact)`,
        );
        process.exitCode = 1;
      }
    } else console.log(`migrated ${path}`);
  } finally {
    db.close();
  }
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
