/**
 * The shape the design promises: commands never import a chat platform (so they answer the same
 * everywhere) and adapters never call COC (so every COC call goes through the dispatcher's
 * identity, policy and audit). Every import form counts: `import`, `import type`, `export … from`,
 * `import x = require()`, `import()` (also in type positions) and `require()`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Every module specifier a TypeScript file names, with its line. */
export function importsOf(fileName: string, text: string): { specifier: string; line: number }[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: { specifier: string; line: number }[] = [];
  const add = (node: ts.Node | undefined) => {
    if (node && ts.isStringLiteralLike(node)) found.push({ specifier: node.text, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) add(node.moduleReference.expression);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal);
    else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')) add(node.arguments[0]);
    } else if (ts.isModuleDeclaration(node) && ts.isStringLiteral(node.name)) add(node.name);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function tsFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...tsFilesUnder(path));
    else if (/\.(ts|mts|cts|tsx)$/.test(entry.name)) out.push(path);
  }
  return out;
}

/** Project-relative path with forward slashes, or the bare package name. */
function target(file: string, specifier: string): string {
  if (!specifier.startsWith('.') && !specifier.startsWith('/')) return specifier;
  return relative(ROOT, resolve(dirname(file), specifier)).split(sep).join('/');
}

const within = (path: string, folder: string) => path === folder || path.startsWith(`${folder}/`) || path.startsWith(`${folder}.`);

interface Rule {
  readonly files: string;
  /** Folders under `files` the rule does not cover. */
  readonly except?: readonly string[];
  readonly forbidden: (path: string) => boolean;
  readonly why: string;
}

/** Where COC's own code lives: the client, the simulator that plays COC, and the COC backend. */
const COC_HOMES = ['src/coc', 'src/sim', 'src/backends/coc'];
const isCocModule = (path: string) => COC_HOMES.some((home) => within(path, home));

const CHAT_PACKAGES = /^(@slack\/|discord\.js$|discord\.js\/|@discordjs\/|discord-api-types(\/|$))/;

const RULES: readonly Rule[] = [
  {
    files: 'commands',
    forbidden: (path) => within(path, 'src/adapters') || CHAT_PACKAGES.test(path),
    why: 'commands answer with neutral Messages and never know the platform (no src/adapters, @slack/*, discord.js)',
  },
  {
    files: 'src/adapters',
    forbidden: (path) => within(path, 'src/coc'),
    why: 'adapters never call COC: every call goes through the dispatcher (no src/coc, not even types)',
  },
  {
    files: 'commands',
    forbidden: (path) => within(path, 'src/coc') || within(path, 'src/backends/coc'),
    why: 'commands speak to the neutral backend (src/backends), never to COC or the COC backend',
  },
  {
    files: 'src',
    except: [...COC_HOMES, 'src/app'],
    forbidden: isCocModule,
    why: 'only the COC backend (and the app that chooses it) knows COC: nothing else in src imports src/coc, src/sim or src/backends/coc',
  },
  {
    files: 'src/app',
    forbidden: (path) => within(path, 'src/coc'),
    why: 'the app chooses a backend; it does not use the COC client itself',
  },
];

const FILES = [...tsFilesUnder(join(ROOT, 'commands')), ...tsFilesUnder(join(ROOT, 'src')), ...tsFilesUnder(join(ROOT, 'test'))];

describe('import boundaries', () => {
  it('finds every import form, type-only ones included', () => {
    const text = [
      "import a from '../src/adapters/a.js';",
      "import type { B } from '../src/adapters/b.js';",
      "import { type C } from '../src/adapters/c.js';",
      "export { D } from '../src/adapters/d.js';",
      "export type * from '../src/adapters/e.js';",
      "import f = require('../src/adapters/f.js');",
      "const g = await import('../src/adapters/g.js');",
      "type H = import('../src/adapters/h.js').H;",
      "const i = require('@slack/bolt');",
      "import '../src/adapters/j.js';",
      "declare module 'discord.js' {}",
      '// import nothing from "../src/adapters/comment.js"',
      "const k = 'import x from \"../src/adapters/string.js\"';",
    ].join('\n');
    const specifiers = importsOf('commands/example.ts', text).map((found) => found.specifier);
    expect(specifiers).toEqual([
      '../src/adapters/a.js',
      '../src/adapters/b.js',
      '../src/adapters/c.js',
      '../src/adapters/d.js',
      '../src/adapters/e.js',
      '../src/adapters/f.js',
      '../src/adapters/g.js',
      '../src/adapters/h.js',
      '@slack/bolt',
      '../src/adapters/j.js',
      'discord.js',
    ]);
    const file = join(ROOT, 'commands/example.ts');
    expect(specifiers.every((specifier) => RULES[0]!.forbidden(target(file, specifier)))).toBe(true);
    expect(RULES[1]!.forbidden(target(join(ROOT, 'src/adapters/slack/app.ts'), '../../coc/client.js'))).toBe(true);
    expect(RULES[1]!.forbidden(target(join(ROOT, 'src/adapters/slack/app.ts'), '../../coc.js'))).toBe(true);
    expect(RULES[1]!.forbidden(target(join(ROOT, 'src/adapters/slack/app.ts'), '../../core/message.js'))).toBe(false);
    expect(RULES[1]!.forbidden(target(join(ROOT, 'src/adapters/slack/app.ts'), '../../cocktail/x.js'))).toBe(false);
    // The COC homes, and nothing that merely starts like one.
    const fromOrders = (specifier: string) => isCocModule(target(join(ROOT, 'src/orders/order-card.ts'), specifier));
    expect(fromOrders('../backends/coc/runs.js')).toBe(true);
    expect(fromOrders('../coc/schemas/orders.js')).toBe(true);
    expect(fromOrders('../sim/server.js')).toBe(true);
    expect(fromOrders('../backends/index.js')).toBe(false);
    expect(fromOrders('../backends/types/runs.js')).toBe(false);
  });

  for (const rule of RULES) {
    it(`${rule.files}/** — ${rule.why}`, () => {
      const files = FILES.filter((file) => {
        const path = relative(ROOT, file).split(sep).join('/');
        return within(path, rule.files) && !(rule.except ?? []).some((folder) => within(path, folder));
      });
      if (rule.files === 'commands') expect(files.length).toBeGreaterThan(0);
      const violations: string[] = [];
      for (const file of files) {
        for (const { specifier, line } of importsOf(file, readFileSync(file, 'utf8'))) {
          if (rule.forbidden(target(file, specifier))) violations.push(`${relative(ROOT, file)}:${line} imports "${specifier}"`);
        }
      }
      expect(violations, `${rule.why}:\n${violations.join('\n')}`).toEqual([]);
    });
  }

  it('parses every .ts file of the project', () => {
    expect(FILES.length).toBeGreaterThan(50);
    let imports = 0;
    for (const file of FILES) imports += importsOf(file, readFileSync(file, 'utf8')).length;
    expect(imports).toBeGreaterThan(FILES.length);
  });
});
