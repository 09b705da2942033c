/**
 * `aistorage` command line: configuration and stats of a work dir.
 *   aistorage config show [path] [-w dir]
 *   aistorage config update <update-string> [-w dir]
 *   aistorage config remove <profile> [-w dir]
 *   aistorage stats [-w dir] [--json | --prometheus]
 *   aistorage zones [-w dir] [--json]       (zones: partitions, replicas, storage profiles, tables)
 *   aistorage tables [-w dir] [--json]      (tables: columns, key, indexes, rows; per partition rows and bytes on disk)
 *   aistorage recover [-w dir] [--json]
 *   aistorage inspect [-w dir] [--json]     (offline: files, pages, sizes, log segments)
 *   aistorage verify [-w dir] [--json]      (offline: every page CRC, delta header, log record; exit 1 if bad)
 *   aistorage sql [-w dir] [-e stmts | -f file.sql] [--format table|json|csv]   (SQL shell; scripts exit 1 on an error)
 *   aistorage --version
 * Exit codes: 0 ok, 2 bad input (typed error with a code), 1 anything else.
 *
 * `config show` and `stats` open the work dir read-only: they work while a node (an application) holds it, and
 * write nothing. `config update`, `remove` and `recover` take the work dir like any node, so while an application holds it
 * they refuse with WORKDIR_LOCKED — change the configuration through that application's node instead.
 * `zones` and `tables` open the node writable too (a read-only node loads no tables), write nothing of their own and
 * refuse a work dir that does not exist (rather than create one).
 * `inspect` and `verify` read the files offline without taking the work dir and write nothing into it (no lock file,
 * no cleanup); they refuse with WORKDIR_LOCKED while a node holds it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { AistorageError } from '../../domain/shared/errors';
import { openNode } from '../api/open-node';
import type { StorageNode } from '../api/storage-node';
import { formatStats } from './format-stats';
import type { CliIo } from './cli-io';
import { recoverCommand } from './recover-command';
import { inspectCommand } from './inspect-command';
import { verifyCommand } from './verify-command';
import { existingWorkDir, tablesCommand, zonesCommand } from './tables-command';
import { sqlCommand, type SqlCommandOptions } from './sql-shell/sql-command';

const DEFAULT_WORK_DIR = process.env['AISTORAGE_WORK_DIR'] ?? './aistorage-data';

export type { CliIo } from './cli-io';

const stdio: CliIo = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
  progress: { tty: process.stderr.isTTY === true, write: (text) => process.stderr.write(text) },
};

export async function main(argv: readonly string[], io: CliIo = stdio): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => (code = c));
  program.exitOverride();
  program.configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  try {
    await program.parseAsync([...argv]);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof AistorageError) {
      io.err(`error [${e.code}]: ${e.message}`);
      return 2;
    }
    io.err(`error: ${(e as Error).stack ?? String(e)}`);
    return 1;
  }
  return code;
}

function buildProgram(io: CliIo, setCode: (c: number) => void): Command {
  const program = new Command('aistorage')
    .description('aistorage storage node: configuration, stats, zones and tables, recovery and offline checks of a work dir')
    .version(packageVersion(), '-V, --version', 'print the aistorage version');
  const workDirOpt = ['-w, --work-dir <dir>', 'the node work dir', DEFAULT_WORK_DIR] as const;
  const config = program.command('config').description('show or update the configuration');
  config
    .command('show [path]')
    .description('print the configuration (or the part at path, e.g. ignite.storage.profiles) as JSON')
    .option(...workDirOpt)
    .action((path: string | undefined, opts: { workDir: string }) =>
      withNode(opts.workDir, READ_ONLY, (node) => io.out(JSON.stringify(node.config.show(path), null, 2))),
    );
  config
    .command('update <update>')
    .description('apply an update string, e.g. ignite.storage.engines.aimem.pageSizeBytes=8192 or "ignite.storage.profiles:{p{engine:aimem,maxSizeBytes:1GB}}"')
    .option(...workDirOpt)
    .action((update: string, opts: { workDir: string }) =>
      withNode(opts.workDir, WRITABLE, (node) => io.out(node.config.update(update).message)),
    );
  config
    .command('remove <profile>')
    .description('remove a storage profile (the default profile always exists)')
    .option(...workDirOpt)
    .action((profile: string, opts: { workDir: string }) =>
      withNode(opts.workDir, WRITABLE, (node) => io.out(node.config.remove(profile).message)),
    );
  program
    .command('stats')
    .description('print the storage profiles, engine settings and region sizes of a work dir')
    .option(...workDirOpt)
    .option('--json', 'print JSON')
    .option('--prometheus', 'print node.metricsText(): the metrics in the Prometheus text format')
    .action((opts: { workDir: string; json?: boolean; prometheus?: boolean }) =>
      withNode(opts.workDir, READ_ONLY, (node) => {
        if (opts.prometheus) return io.out(node.metricsText().trimEnd());
        const stats = node.stats();
        io.out(opts.json ? JSON.stringify(stats, null, 2) : formatStats(stats));
      }),
    );
  program
    .command('zones')
    .description('list the zones: partitions, replicas (recorded only: this build keeps one copy of each partition), storage profiles and tables')
    .option(...workDirOpt)
    .option('--json', 'print JSON')
    .action((opts: { workDir: string; json?: boolean }) =>
      withNode(existingWorkDir(opts.workDir, 'zones'), WRITABLE, (node) => zonesCommand(node, io, opts.json === true)),
    );
  program
    .command('tables')
    .description('list the tables: zone, storage profile, columns, primary key, indexes (available or building), row count, and per partition its rows and bytes on disk')
    .option(...workDirOpt)
    .option('--json', 'print JSON (bigints as strings)')
    .action((opts: { workDir: string; json?: boolean }) =>
      withNode(existingWorkDir(opts.workDir, 'tables'), WRITABLE, (node) => tablesCommand(node, io, opts.json === true)),
    );
  program
    .command('recover')
    .description('after a crash: replay the write-ahead delta log into every table now (with a progress bar), then checkpoint, so the application opens fast')
    .option(...workDirOpt)
    .option('--json', 'print the result as JSON')
    .action(async (opts: { workDir: string; json?: boolean }) => {
      const node = await openNode({ workDir: opts.workDir });
      try {
        await recoverCommand(node, io, opts.json === true);
      } finally {
        await node.close();
      }
    });
  program
    .command('inspect')
    .description('offline, read-only (no node may hold the work dir): tables, partitions, their files with page counts and sizes, delta log segments and records')
    .option(...workDirOpt)
    .option('--json', 'print JSON')
    .action((opts: { workDir: string; json?: boolean }) => inspectCommand(opts.workDir, io, opts.json === true));
  program
    .command('verify')
    .description('offline, read-only (no node may hold the work dir): check every page CRC, delta file header and delta log record; exit 1 if anything is bad')
    .option(...workDirOpt)
    .option('--json', 'print the report as JSON')
    .action(async (opts: { workDir: string; json?: boolean }) => setCode(await verifyCommand(opts.workDir, io, opts.json === true)));
  program
    .command('sql')
    .description('SQL shell: interactive on a terminal (multi-line statements end with ";", Tab completes, .help); -e or -f runs a script')
    .option(...workDirOpt)
    .option('-e, --execute <statements>', 'run these statements and exit (exit 1 at the first error)')
    .option('-f, --file <script.sql>', 'run the statements of this file and exit (exit 1 at the first error)')
    .option('--format <format>', 'output of -e / -f: table, json (one document per statement) or csv', 'table')
    .action((opts: SqlCommandOptions & { workDir: string }) =>
      withNode(opts.workDir, WRITABLE, async (node) => setCode(await sqlCommand(node, io, opts))),
    );
  setCode(0);
  return program;
}

const READ_ONLY = true;
const WRITABLE = false;

async function withNode(workDir: string, readOnly: boolean, body: (node: StorageNode) => void | Promise<void>): Promise<void> {
  const node = await openNode({ workDir, readOnly });
  try {
    await body(node);
  } finally {
    await node.close();
  }
}

/** The version of the installed package (package.json two levels above this file, in src/ and in dist/ alike). */
function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}
