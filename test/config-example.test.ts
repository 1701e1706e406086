import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cocConnection, configOptions, loadConfig } from '../src/config.js';

const examplePath = fileURLToPath(new URL('../config.example.json', import.meta.url));
const example: unknown = JSON.parse(readFileSync(examplePath, 'utf8'));

/** The value at an option path in the example; `[]` steps into the first list item. */
function exampleAt(path: readonly string[]): { found: boolean; parent: Record<string, unknown> | undefined } {
  let node: unknown = example;
  let parent: Record<string, unknown> | undefined;
  for (const segment of path) {
    if (segment === '[]') {
      node = Array.isArray(node) ? node[0] : undefined;
      continue;
    }
    if (typeof node !== 'object' || node === null || !(segment in node)) return { found: false, parent: undefined };
    parent = node as Record<string, unknown>;
    node = parent[segment];
  }
  return { found: true, parent };
}

describe('config.example.json', () => {
  it('is a valid configuration that runs against the simulator', () => {
    const result = loadConfig({ env: {}, file: examplePath });
    if (!result.ok) throw new Error(result.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
    expect(result.warnings).toEqual([]);
    expect(cocConnection(result.config).kind).toBe('simulator');
  });

  it('shows every option of the schema, each with a note naming its environment variable', () => {
    const undocumented: string[] = [];
    for (const option of configOptions()) {
      const name = option.path.at(-1) ?? '';
      const { found, parent } = exampleAt(option.path);
      if (!found || !parent) {
        undocumented.push(`${option.path.join('.')} is missing`);
        continue;
      }
      const note = parent[`// ${name}`] ?? (option.leaf ? undefined : (exampleAt([...option.path, '//']).found ? 'section note' : undefined));
      if (note === undefined) undocumented.push(`${option.path.join('.')} has no "// ${name}" note`);
      if (option.env && !(typeof note === 'string' && note.startsWith(`${option.env}.`))) {
        undocumented.push(`${option.path.join('.')} note does not start with ${option.env}`);
      }
    }
    expect(undocumented).toEqual([]);
  });

  it('has a description for every option in the schema and one variable per option', () => {
    const options = configOptions();
    expect(options.filter((option) => !option.description).map((option) => option.path.join('.'))).toEqual([]);
    const envNames = options.flatMap((option) => (option.env ? [option.env] : []));
    expect(new Set(envNames).size).toBe(envNames.length);
  });

  it('leaves every secret blank', () => {
    for (const option of configOptions().filter((o) => o.secret)) {
      const { parent } = exampleAt(option.path);
      expect(parent?.[option.path.at(-1) ?? '']).toBe('');
    }
  });
});
