import { Command } from 'commander';
import { ConfigError } from '../config/index.ts';
import { DomainError } from '../core/errors.ts';
import { FolderLockedError } from '../storage/folder-lock.ts';
import { EmbeddedInProductionError } from '../app/runtime.ts';

/**
 * A command's module is loaded only when it runs: `tyndau geo district` or `--help` need not load the
 * server, the S3 client or the image library (every CLI start, and every CLI test, paid for all of them).
 */
function lazy<M>(load: () => Promise<M>, pick: (m: M) => (...args: never[]) => unknown): (...args: unknown[]) => Promise<void> {
  return async (...args) => {
    const action = pick(await load()) as (...a: unknown[]) => unknown;
    await action(...args);
  };
}

const program = new Command('tyndau').description('Tyndau: one pipeline for every citizen message').showHelpAfterError();

program.command('serve').description('start the HTTP API (migrates first)').option('--demo', 'seed demo data on first start and return sign-in codes').action(lazy(() => import('./commands/serve.ts'), (m) => m.serve));
program.command('migrate').description('apply pending database migrations').action(lazy(() => import('./commands/migrate.ts'), (m) => m.migrate));
program
  .command('seed')
  .description('load the reference data (taxonomy, organisations, districts, routing rules)')
  .option('--demo', 'also create demo accounts and cases (only into a database without cases)')
  .option('--cases <n>', 'number of demo cases', '2000')
  .action(lazy(() => import('./commands/seed.ts'), (m) => m.seed));

const cases = program.command('cases').description('bulk case operations');
cases.command('import').argument('<file>', 'JSON lines: one submission per line, optional receivedAt').description('import cases through the intake').action(lazy(() => import('./commands/cases.ts'), (m) => m.importCases));
cases
  .command('export')
  .description('write non-confidential cases as JSON lines')
  .option('--channel <channel>')
  .option('--from <iso>')
  .option('--to <iso>')
  .option('--out <file>', 'write to a file instead of stdout')
  .action(lazy(() => import('./commands/cases.ts'), (m) => m.exportCases));

const calendar = program.command('calendar').description('the Kazakhstan business calendar');
calendar.command('due').requiredOption('--from <iso>', 'when the appeal was received').requiredOption('--working-days <n>', 'the term').description('the deadline of a term').action(lazy(() => import('./commands/calendar.ts'), (m) => m.calendarDue));
calendar.command('is-working-day').argument('<date>', 'YYYY-MM-DD').description('yes or no').action(lazy(() => import('./commands/calendar.ts'), (m) => m.calendarIsWorkingDay));
const override = calendar.command('override').description('admin overrides: days off and working days the data does not know (recorded as events)');
override.command('list').option('--history', 'every change, oldest first, instead of the overrides in force').description('the overrides in force').action(lazy(() => import('./commands/calendar.ts'), (m) => m.calendarOverrideList));
override
  .command('set')
  .argument('<date>', 'YYYY-MM-DD')
  .requiredOption('--type <type>', 'day_off or working_day')
  .requiredOption('--reason <text>', 'why (a decree, an order): 1–500 characters')
  .description('mark a date a day off or a working day')
  .action(lazy(() => import('./commands/calendar.ts'), (m) => m.calendarOverrideSet));
override
  .command('clear')
  .argument('<date>', 'YYYY-MM-DD')
  .requiredOption('--reason <text>', 'why the override goes')
  .description('remove the override of a date: the data decides again')
  .action(lazy(() => import('./commands/calendar.ts'), (m) => m.calendarOverrideClear));

const apikeys = program.command('apikeys').description('API keys for machine clients (Open311 clients, importers): shown once, stored hashed');
apikeys
  .command('create')
  .requiredOption('--name <client>', 'who the key is for (1–100 characters)')
  .option('--org <code>', 'the organisation the client belongs to (default: kz.processing_centre)')
  .option('--role <role>', 'the staff role the key acts in (default: registrar; never admin)')
  .description('make a key and print it once')
  .action(lazy(() => import('./commands/apikeys.ts'), (m) => m.apiKeysCreate));
apikeys.command('list').description('every key: id, name, role, organisation, created, active or revoked (never the key)').action(lazy(() => import('./commands/apikeys.ts'), (m) => m.apiKeysList));
apikeys.command('revoke').argument('<id>', 'the key id (apikeys list)').description('revoke a key at once').action(lazy(() => import('./commands/apikeys.ts'), (m) => m.apiKeysRevoke));

program.command('train').description('rebuild models/classifier.bin from data/corpus/train (deterministic)').action(lazy(() => import('./commands/nlp.ts'), (m) => m.trainModels));
program.command('eval').description('score the model on data/corpus/heldout; writes reports/eval.md').action(lazy(() => import('./commands/nlp.ts'), (m) => m.evaluateModels));
program.command('classify').description('JSON lines {"id","text"} on stdin → one JSON line of understanding per input on stdout').action(lazy(() => import('./commands/nlp.ts'), (m) => m.classifyLines));

const geo = program.command('geo').description('places: the districts of Astana, Almaty and Shymkent');
// Unknown options allowed so that a negative coordinate ("-33.9") is read as a number, not as an option.
geo.command('district').argument('<lat>').argument('<lon>').allowUnknownOption().description('the district and city of a point, as JSON').action(lazy(() => import('./commands/geo.ts'), (m) => m.geoDistrict));

// Social listening (issue 7): import here; the issues and the digest (src/cli/commands/social-issues.ts) join below.
const social = program.command('social').description('social listening: posts from Telegram, WhatsApp and feeds, kept as evidence');
social
  .command('import')
  .argument('<file>', 'the export or feed file')
  .requiredOption('--format <format>', 'jsonl, telegram-export (result.json) or whatsapp (.txt)')
  .option('--source <name>', 'the feed name (default: "telegram" for exports, "whatsapp:<file name>", or each JSONL line\'s own)')
  .option('--utc-offset <offset>', 'for export times without a zone (default +05:00, Kazakhstan)')
  .option('--json', 'print the summary as JSON')
  .description('import posts: progress, then read / new / edits / duplicates / skipped with reasons')
  .action(lazy(() => import('./commands/social.ts'), (m) => m.socialImport));
// social issues / social digest: registered here from ./commands/social-issues.ts.
social
  .command('issues')
  .description('the current issues: post and case ids, category, districts, counts')
  .option('--json', 'JSON instead of one line per issue')
  .option('--district <id>')
  .option('--category <code>')
  .option('--since <date>', 'issues last seen since (YYYY-MM-DD or ISO)')
  .option('--limit <n>', 'at most this many (1–1000)', '100')
  .action(lazy(() => import('./commands/social-issues.ts'), (m) => m.socialIssues));
social
  .command('digest')
  .description('the daily digest of a district or an akimat: top issues, bursts, resolved cases, evidence')
  .option('--district <id>', 'e.g. astana.esil')
  .option('--akim <organisation>', 'an akimat, e.g. astana.district.esil or astana.akimat')
  .requiredOption('--date <YYYY-MM-DD>')
  .option('--lang <kk|ru|en>', 'language of the text', 'ru')
  .option('--json', 'the digest as JSON')
  .action(lazy(() => import('./commands/social-issues.ts'), (m) => m.socialDigest));

program
  .command('bench')
  .argument('[name]', 'benchmark to run: intake, deadlines, classify or near-duplicates', 'intake')
  .argument('[options...]', 'the benchmark\'s own options, e.g. --engine pglite --seconds 10')
  .allowUnknownOption()
  .helpOption(false)
  .description('run a benchmark from bench/ (prints ratios against a baseline measured in the same run)')
  .action(async (name: string, options: string[]) => {
    // bench/ lives beside src/, outside the built package: loaded by path, only when asked for.
    const bench = (await import(new URL('../../bench/run.ts', import.meta.url).href)) as { runBenchmark(name: string, args: string[]): Promise<void> };
    await bench.runBenchmark(name, options);
  });

const KNOWN = [ConfigError, FolderLockedError, EmbeddedInProductionError];

let settled = false;
// A command whose promise never settles would otherwise end with status 0 when the event loop drains.
process.on('beforeExit', () => {
  if (settled) return;
  settled = true;
  process.stderr.write('tyndau: the command stopped before finishing (an internal deadlock); nothing after this point ran\n');
  process.exitCode = 1;
});

program.parseAsync().then(() => {
  settled = true;
}, (err: unknown) => {
  settled = true;
  if (err instanceof DomainError) process.stderr.write(`${err.code}: ${err.message}\n`);
  else if (KNOWN.some((k) => err instanceof k)) process.stderr.write(`tyndau: ${(err as Error).message}\n`);
  else process.stderr.write(`tyndau: ${String(err instanceof Error ? err.stack : err)}\n`);
  process.exitCode = 1;
});
