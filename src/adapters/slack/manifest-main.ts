/**
 * `npm run manifest`: writes manifest.yml (Socket Mode) at the repository root from the
 * command registry.
 *
 *   npm run manifest                                    write manifest.yml (Socket Mode)
 *   npm run manifest -- --check                         fail if manifest.yml is out of date
 *   npm run manifest -- --http https://bot.example.com  print the HTTP-mode manifest
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { COMMANDS } from '../../app/commands.js';
import { manifestProblems, manifestYaml, slackManifest, type ManifestOptions } from './manifest.js';

export const MANIFEST_PATH = fileURLToPath(new URL('../../../manifest.yml', import.meta.url));

/** The committed manifest's text: Socket Mode, from the registry as it is now. */
export function committedManifestText(): string {
  const options: ManifestOptions = { mode: 'socket' };
  return manifestYaml(slackManifest(COMMANDS, options), options);
}

function main(): number {
  const { values } = parseArgs({ options: { http: { type: 'string' }, check: { type: 'boolean' } }, allowPositionals: false });
  if (values.http !== undefined) {
    const options: ManifestOptions = { mode: 'http', publicUrl: values.http };
    const manifest = slackManifest(COMMANDS, options);
    const problems = manifestProblems(manifest);
    if (problems.length > 0) {
      process.stderr.write(`The manifest would be refused:\n${problems.map((p) => `  ${p}`).join('\n')}\n(--http takes the bot's public https base URL, e.g. https://coc.example.com)\n`);
      return 1;
    }
    process.stdout.write(manifestYaml(manifest, options));
    return 0;
  }
  const text = committedManifestText();
  if (values.check) {
    let current = '';
    try {
      current = readFileSync(MANIFEST_PATH, 'utf8');
    } catch {
      // missing: out of date
    }
    if (current === text) return 0;
    process.stderr.write('manifest.yml does not match the commands: run `npm run manifest` and commit it.\n');
    return 1;
  }
  writeFileSync(MANIFEST_PATH, text);
  process.stdout.write(`Wrote ${MANIFEST_PATH}.\n`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exit(main());
