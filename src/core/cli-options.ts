/**
 * The command-line options of every `npm run …` tool, read the same way: `--help` / `-h` print the
 * usage and exit 0; an unknown option, a missing value or a stray argument is one line on stderr
 * ("Unknown option --bogus. Try --help.") and exit 2 — never a stack trace.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

const HELP = { help: { type: 'boolean', short: 'h' } } as const;

type WithHelp<O extends OptionsConfig> = O & typeof HELP;

/** What the tool reads: its options (`--help` included) without positionals. */
type Parsed<O extends OptionsConfig> = ReturnType<typeof parseArgs<{ options: WithHelp<O>; allowPositionals: false; strict: true }>>['values'];

export type CliOptions<O extends OptionsConfig> =
  | { readonly ok: true; readonly values: Parsed<O> }
  /** Nothing more to do: print these and exit with the code. */
  | { readonly ok: false; readonly code: 0 | 2; readonly stdout: string; readonly stderr: string };

/** The one line a usage mistake is said in. */
function usageMistake(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const option = /'([^']+)'/.exec(message)?.[1];
    return `Unknown option ${option ?? message.replace(/^Unknown option\s*/, '')}.`;
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const argument = /'([^']*)'/.exec(message)?.[1];
    return `Unexpected argument ${JSON.stringify(argument ?? '')}: this takes options only.`;
  }
  // A missing value ("Option '--as <value>' argument missing") or another parseArgs complaint.
  return message.endsWith('.') ? message : `${message}.`;
}

/** Reads `args` (the process's by default) against `options`, with `--help` / `-h` added. */
export function readCliOptions<const O extends OptionsConfig>(usage: string, options: O, args: readonly string[] = process.argv.slice(2)): CliOptions<O> {
  let values: Parsed<O>;
  try {
    ({ values } = parseArgs({ args: [...args], options: { ...options, ...HELP } as WithHelp<O>, allowPositionals: false, strict: true }));
  } catch (error) {
    return { ok: false, code: 2, stdout: '', stderr: `${usageMistake(error)} Try --help.\n` };
  }
  if ((values as { help?: boolean }).help) return { ok: false, code: 0, stdout: `${usage.trimEnd()}\n`, stderr: '' };
  return { ok: true, values };
}

/** Prints what an early end says (the usage, or the mistake) and gives its exit code. */
export function printEarlyEnd(end: { readonly code: 0 | 2; readonly stdout: string; readonly stderr: string }): 0 | 2 {
  process.stdout.write(end.stdout);
  process.stderr.write(end.stderr);
  return end.code;
}

/**
 * For a tool's entry point: the options, or — after printing the usage or the mistake and setting
 * the exit code — undefined.
 */
export function cliOptionsOrExit<const O extends OptionsConfig>(usage: string, options: O, args?: readonly string[]): Parsed<O> | undefined {
  const read = readCliOptions(usage, options, args);
  if (read.ok) return read.values;
  process.exitCode = printEarlyEnd(read);
  return undefined;
}
