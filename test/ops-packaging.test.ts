/**
 * The container recipe, checked by reading it (no Docker here): the Dockerfile, compose.yaml,
 * the load balancer's configuration and .dockerignore say what the README promises — Node 20,
 * a non-root user, a health check, two replicas on one PostgreSQL 15 — and no secret is baked
 * into any of them.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { configOptions, enabledAdapters, loadConfig } from '../src/config.js';
import { opsPortOf } from '../src/config/sections/ops.js';

const root = join(import.meta.dirname, '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

const SECRET_ENV = new Set([...configOptions().filter((option) => option.secret && option.env).map((option) => option.env!), 'POSTGRES_PASSWORD']);
/** Names that look like they hold a secret, whatever the configuration calls them. */
const SECRET_LOOKING = /(TOKEN|SECRET|PASSWORD|PASSWD|_SK$|_AK$|DATABASE_URL|PRIVATE|CREDENTIAL|API_KEY)/;

// ---- the Dockerfile ----

const dockerfile = DockerfileParser.parse(read('Dockerfile'));
const instructions = dockerfile.getInstructions();
const froms = dockerfile.getFROMs();
const finalStageStart = froms.at(-1)!.getRange().start.line;
const finalStage = instructions.filter((instruction) => instruction.getRange().start.line >= finalStageStart);
const keyword = (list: readonly Instruction[], word: string) => list.filter((instruction) => instruction.getKeyword() === word);

/** The exec-form arguments of CMD / HEALTHCHECK CMD, parsed as JSON. */
function execForm(instruction: Instruction): string[] {
  const text = instruction.getArgumentsContent() ?? '';
  const json = text.slice(text.indexOf('['));
  return JSON.parse(json) as string[];
}

describe('Dockerfile', () => {
  it('builds in stages from node:20-slim', () => {
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const from of froms) {
      expect(from.getImageName()).toBe('node');
      expect(from.getImageTag()).toMatch(/^20(\.|-|$)/);
      expect(from.getImageTag()).toContain('slim');
    }
    // The final stage takes the dependencies from an earlier one, not from the build context.
    const copies = dockerfile.getCOPYs().filter((copy) => copy.getRange().start.line >= finalStageStart);
    const fromStage = copies.find((copy) => copy.getFromFlag()?.getValue() === froms[0]!.getBuildStage());
    expect(fromStage?.getArgumentsContent()).toContain('node_modules');
  });

  it('installs production dependencies only, from the lock file, with the runtime it starts in them', () => {
    const runs = keyword(instructions, 'RUN').map((run) => run.getArgumentsContent() ?? '');
    expect(runs.some((run) => /npm ci\b.*--omit=dev/.test(run))).toBe(true);
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    // The image runs the compiled build through its launcher, which needs no package to start it.
    expect(pkg.devDependencies['esbuild']).toBeDefined();
    const cmd = execForm(keyword(finalStage, 'CMD').at(-1)!);
    expect(cmd).toEqual(['node', '--max-semi-space-size=2', '--max-old-space-size=512', 'scripts/start.mjs', 'main']);
    // The build is made in a stage that installs every package (esbuild) and copied from it.
    const buildStage = froms.find((from) => from.getBuildStage() === 'build');
    expect(buildStage).toBeDefined();
    const copiesBuild = dockerfile.getCOPYs().filter((copy) => copy.getRange().start.line >= finalStageStart && copy.getFromFlag()?.getValue() === 'build');
    expect(copiesBuild.map((copy) => copy.getArgumentsContent())).toEqual(['/app/dist ./dist']);
  });

  it('imports at run time only packages that `npm ci --omit=dev` installs', () => {
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(join(root, dir))) {
        const path = join(dir, name);
        if (statSync(join(root, path)).isDirectory()) walk(path);
        else if (path.endsWith('.ts')) files.push(path);
      }
    };
    walk('src');
    walk('commands');
    const missing = new Set<string>();
    for (const file of files) {
      const text = read(file);
      for (const match of text.matchAll(/^(?!import type)(?:import|export)\b[^;]*?from '([^'.][^']*)'|import\('([^'.][^']*)'\)/gm)) {
        const specifier = match[1] ?? match[2]!;
        if (specifier.startsWith('node:')) continue;
        const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
        if (!pkg.dependencies[name]) missing.add(`${name} (${file})`);
      }
    }
    expect([...missing]).toEqual([]);
  });

  it('copies every path it names, and nothing that holds secrets', () => {
    for (const copy of dockerfile.getCOPYs()) {
      if (copy.getFromFlag()) continue;
      const sources = (copy.getArgumentsContent() ?? '').split(/\s+/).slice(0, -1);
      for (const source of sources) {
        expect(existsSync(join(root, source)), source).toBe(true);
        expect(source).not.toMatch(/^(\.env|coc-chatops\.json|data)/);
        expect(source).not.toBe('.');
      }
    }
  });

  it('runs as an unprivileged user', () => {
    const users = keyword(finalStage, 'USER');
    expect(users.length).toBeGreaterThan(0);
    const user = (users.at(-1)!.getArgumentsContent() ?? '').split(':')[0];
    expect(user).not.toMatch(/^(root|0)$/);
    // Nothing after USER switches back.
    const lastUserLine = users.at(-1)!.getRange().start.line;
    expect(finalStage.filter((i) => i.getRange().start.line > lastUserLine && i.getKeyword() === 'USER')).toEqual([]);
  });

  it('checks its health on /healthz at the ops port it sets', () => {
    const healthchecks = keyword(finalStage, 'HEALTHCHECK');
    expect(healthchecks).toHaveLength(1);
    const command = execForm(healthchecks[0]!).join(' ');
    expect(command).toContain('/healthz');
    expect(command).toContain('COC_OPS_PORT');
    const env = new Map(dockerfile.getENVs().flatMap((instruction) => instruction.getProperties().map((p) => [p.getName(), p.getValue()] as const)));
    expect(env.get('COC_OPS_PORT')).toBe('9464');
    expect(env.get('COC_OPS_HOST')).toBe('0.0.0.0');
    expect(env.get('COC_CHATOPS_SHELL')).toBe('false');
    const exposed = keyword(finalStage, 'EXPOSE').flatMap((expose) => (expose.getArgumentsContent() ?? '').split(/\s+/));
    expect(exposed).toEqual(expect.arrayContaining(['3000', '3001', '9464']));
  });

  it('bakes no secret into the image', () => {
    for (const instruction of [...dockerfile.getENVs(), ...dockerfile.getARGs()]) {
      const names = 'getProperties' in instruction ? instruction.getProperties().map((p) => p.getName()) : [];
      for (const name of names) {
        expect(SECRET_ENV.has(name), name).toBe(false);
        expect(name, name).not.toMatch(SECRET_LOOKING);
      }
    }
  });
});

describe('.dockerignore', () => {
  it('keeps secrets, local state and development files out of the build context', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['.env', '.env.*', 'coc-chatops.json', 'data/', 'node_modules/', '.git/']));
  });
});

// ---- compose.yaml ----

interface ComposeService {
  image?: string;
  build?: string | { context: string };
  init?: boolean;
  environment?: Record<string, string | number | boolean>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] | string };
  ports?: string[];
  volumes?: string[];
}

const compose = parseYaml(read('compose.yaml'), { merge: true }) as { services: Record<string, ComposeService> };
const services = compose.services;
const bots = Object.entries(services).filter(([, service]) => service.build !== undefined);

/** `${NAME…}` interpolations filled as compose would, from `values` and the `:-default`s. */
function interpolate(text: string, values: Record<string, string>): string {
  return text.replace(/\$\{([A-Z0-9_]+)(?::?([-?])([^}]*))?\}/g, (_m, name: string, op: string | undefined, rest: string | undefined) => {
    if (values[name] !== undefined) return values[name];
    if (op === '-') return rest ?? '';
    throw new Error(`${name} is required: ${rest}`);
  });
}

describe('compose.yaml', () => {
  it('runs two replicas of the bot built from this Dockerfile, started with an init process', () => {
    expect(bots.map(([name]) => name)).toHaveLength(2);
    for (const [name, bot] of bots) {
      const context = typeof bot.build === 'string' ? bot.build : bot.build?.context;
      expect(context, name).toBe('.');
      expect(bot.init, name).toBe(true);
    }
  });

  it('runs PostgreSQL 15 with a health check the replicas wait for', () => {
    const postgres = Object.entries(services).find(([, service]) => service.image?.startsWith('postgres:'));
    expect(postgres).toBeDefined();
    const [postgresName, service] = postgres!;
    expect(service.image).toMatch(/^postgres:15(\.|-|$)/);
    expect(JSON.stringify(service.healthcheck?.test)).toContain('pg_isready');
    for (const [name, bot] of bots) expect(bot.depends_on?.[postgresName]?.condition, name).toBe('service_healthy');
  });

  it('gives both replicas the same DATABASE_URL, on that PostgreSQL, and HTTP modes (never Socket Mode or the gateway)', () => {
    const urls = bots.map(([, bot]) => String(bot.environment?.['DATABASE_URL']));
    expect(new Set(urls).size).toBe(1);
    expect(urls[0]).toMatch(/^postgres:\/\/[^:]+:\$\{POSTGRES_PASSWORD[^}]*\}@postgres:5432\//);
    for (const [, bot] of bots) {
      expect(bot.environment?.['SLACK_MODE']).toBe('http');
      expect(bot.environment?.['DISCORD_MODE']).toBe('http');
      expect(bot.environment?.['COC_CHATOPS_SHELL']).toBe('false');
    }
    // Each replica's ops endpoints are reachable on their own host port.
    const opsPorts = bots.map(([, bot]) => bot.ports?.find((port) => port.endsWith(':9464')));
    expect(opsPorts.every(Boolean)).toBe(true);
    expect(new Set(opsPorts).size).toBe(2);
  });

  it('writes no secret: every secret variable is taken from the environment', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (!SECRET_ENV.has(key) && !SECRET_LOOKING.test(key)) continue;
        const text = String(value);
        if (key === 'DATABASE_URL') {
          // The URL itself is fine to write; its password is not.
          const password = /^postgres:\/\/[^:]+:([^@]*)@/.exec(text)?.[1] ?? '';
          expect(password, `${name}.${key}`).toMatch(/^\$\{[A-Z0-9_]+[^}]*\}$/);
        } else {
          expect(text, `${name}.${key}`).toMatch(/^\$\{[A-Z0-9_]+(:?[-?][^}]*)?\}$/);
          // A default after :- would be a secret written here.
          expect(text, `${name}.${key}`).not.toMatch(/:-[^}]+\}$/);
        }
      }
    }
  });

  it('gives each replica a valid configuration with Slack and Discord over HTTP and the ops endpoints on', () => {
    const values: Record<string, string> = {
      POSTGRES_PASSWORD: 'compose-test-password',
      COC_CHATOPS_SECRET_KEY: 'compose-test-secret-key-0123456789',
      COC_AK: 'HPUATESTAK0123456789',
      COC_SK: 'testSecretKey0123456789abcdefghijABCDEFGH',
      COC_PROJECT_ID: '0123456789abcdef0123456789abcdef',
      SLACK_BOT_TOKEN: 'xoxb-1-2-test',
      SLACK_SIGNING_SECRET: 'test-signing-secret',
      DISCORD_BOT_TOKEN: 'MTIz.test.token',
      DISCORD_APPLICATION_ID: '123456789012345678',
      DISCORD_PUBLIC_KEY: 'a'.repeat(64),
    };
    for (const [name, bot] of bots) {
      const env = Object.fromEntries(Object.entries(bot.environment ?? {}).map(([key, value]) => [key, interpolate(String(value), values)]));
      // The container mounts coc-chatops.json; the example stands in for it.
      env['COC_CHATOPS_CONFIG'] = join(root, 'config.example.json');
      const loaded = loadConfig({ env, cwd: root });
      if (!loaded.ok) throw new Error(`${name}: ${loaded.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
      const config = loaded.config;
      expect(enabledAdapters(config), name).toEqual({ slack: true, discord: true, shell: false });
      expect(config.store.databaseUrl?.reveal()).toBe('postgres://coc_chatops:compose-test-password@postgres:5432/coc_chatops');
      expect(opsPortOf(config.ops, enabledAdapters(config))).toBe(9464);
      expect([config.slack.port, config.discord.port]).toEqual([3000, 3001]);
    }
  });

  it('takes only variables the production guide or the configuration documents', () => {
    const production = read('docs/production.md');
    const documented = new Set(configOptions().flatMap((option) => (option.env ? [option.env] : [])));
    const used = [...read('compose.yaml').matchAll(/\$\{([A-Z0-9_]+)/g)].map((match) => match[1]!);
    expect(used.length).toBeGreaterThan(5);
    expect(used.filter((name) => !documented.has(name) && !production.includes(name))).toEqual([]);
  });

  it('puts a load balancer in front that spreads Slack and Discord requests over both replicas', () => {
    const gateway = Object.entries(services).find(([, service]) => service.image?.startsWith('nginx:'));
    expect(gateway).toBeDefined();
    const [, nginx] = gateway!;
    for (const [name] of bots) expect(nginx.depends_on?.[name]?.condition).toBe('service_healthy');
    const mount = nginx.volumes?.find((volume) => volume.includes('/etc/nginx/nginx.conf'));
    const configPath = mount?.split(':')[0]?.replace(/^\.\//, '');
    expect(configPath && existsSync(join(root, configPath))).toBeTruthy();
    const conf = read(configPath!);
    for (const [name] of bots) {
      expect(conf).toContain(`server ${name}:3000`);
      expect(conf).toContain(`server ${name}:3001`);
    }
    expect(conf).toMatch(/location = \/slack\/events \{\s*proxy_pass http:\/\/slack;/);
    expect(conf).toMatch(/location = \/discord\/interactions \{\s*proxy_pass http:\/\/discord;/);
    // A POST that reached a replica is never sent to the other one as well.
    expect(conf).not.toContain('non_idempotent');
  });
});
