import { Command } from 'commander';
import { ConfigError } from '../config/index.ts';
import { DomainError } from '../core/errors.ts';
import { FolderLockedError } from '../storage/folder-lock.ts';
import { EmbeddedInProductionError } from '../app/runtime.ts';
import { calendarDue, calendarIsWorkingDay } from './commands/calendar.ts';
import { exportCases, importCases } from './commands/cases.ts';
import { migrate } from './commands/migrate.ts';
import { seed } from './commands/seed.ts';
import { serve } from './commands/serve.ts';

const program = new Command('tyndau').description('Tyndau: one pipeline for every citizen message').showHelpAfterError();

program.command('serve').description('start the HTTP API (migrates first)').option('--demo', 'seed demo data on first start and return sign-in codes').action(serve);
program.command('migrate').description('apply pending database migrations').action(migrate);
program
  .command('seed')
  .description('load the reference data (taxonomy, organisations, districts, routing rules)')
  .option('--demo', 'also create demo accounts and cases (only into a database without cases)')
  .option('--cases <n>', 'number of demo cases', '2000')
  .action(seed);

const cases = program.command('cases').description('bulk case operations');
cases.command('import').argument('<file>', 'JSON lines: one submission per line, optional receivedAt').description('import cases through the intake').action(importCases);
cases
  .command('export')
  .description('write non-confidential cases as JSON lines')
  .option('--channel <channel>')
  .option('--from <iso>')
  .option('--to <iso>')
  .option('--out <file>', 'write to a file instead of stdout')
  .action(exportCases);

const calendar = program.command('calendar').description('the Kazakhstan business calendar');
calendar.command('due').requiredOption('--from <iso>', 'when the appeal was received').requiredOption('--working-days <n>', 'the term').description('the deadline of a term').action(calendarDue);
calendar.command('is-working-day').argument('<date>', 'YYYY-MM-DD').description('yes or no').action(calendarIsWorkingDay);

program
  .command('bench')
  .argument('[name]', 'benchmark to run: intake', 'intake')
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
