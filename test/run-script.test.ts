/**
 * Resolving a script a person named, over any backend's scripts group (here a small in-memory
 * one): by id first when the reference has the form of one, else by name across pages, and a
 * refusal that says what there is instead; public scripts only where the backend has them.
 */
import { describe, expect, it } from 'vitest';
import {
  BackendCapabilityMissingError,
  makeId,
  type Backend,
  type Page,
  type Script,
  type ScriptQuery,
  type ScriptSummary,
  type ScriptsCapability,
} from '../src/backends/index.js';
import { COC_VOCABULARY } from '../src/backends/coc/vocabulary.js';
import { Refusal } from '../src/core/refusal.js';
import { translator } from '../src/i18n/translate.js';
import { resolveScript } from '../src/run/script.js';

function script(name: string, index: number, publicScript = false): Script {
  return {
    id: makeId('blueking', publicScript ? 'public-script' : 'script', `biz1:${index}`),
    name,
    risk: { state: 'low', code: 'LOW' },
    publicScript,
    rowId: String(index),
    params: [],
    reviewers: [],
    pin: { hash: `hash-${index}`, modifiedAt: index },
  };
}

/** A scripts group over fixed lists, paging by row id, recording every list query. */
function scriptsOver(custom: readonly Script[], publicOnes?: readonly Script[]) {
  const queries: ScriptQuery[] = [];
  const pageOf = (all: readonly Script[], query: ScriptQuery): Page<ScriptSummary> => {
    queries.push(query);
    const matching = all.filter((item) => !query.name || item.name.toLowerCase().includes(query.name.toLowerCase()));
    const start = query.after === undefined ? 0 : matching.findIndex((item) => item.rowId === query.after) + 1;
    const items = matching.slice(start, start + query.limit);
    return { items, ...(items.length === query.limit ? { next: items.at(-1)!.rowId! } : {}) };
  };
  const group: ScriptsCapability = {
    publicScripts: publicOnes !== undefined,
    refs: { name: /^[a-z_]{1,64}$/, id: /^blueking:/, says: { 'en-US': 'names are lower case', 'zh-CN': '名称为小写' } },
    riskCodes: ['LOW'],
    typeCodes: ['SHELL'],
    paramRules: { maxParams: 20, maxValueLength: 4096 },
    list: async (query) => pageOf(custom, query),
    get: async (id) => custom.find((item) => item.id === id),
    ...(publicOnes
      ? { listPublic: async (query: ScriptQuery) => pageOf(publicOnes, query), getPublic: async (id: string) => publicOnes.find((item) => item.id === id) }
      : {}),
  };
  const backend: Backend = {
    name: 'blueking',
    displayName: { 'en-US': 'BlueKing', 'zh-CN': '蓝鲸' },
    vocabulary: COC_VOCABULARY,
    perUser: 'username',
    scripts: group,
    parseId: (kind, typed) => (typed.startsWith('blueking:') ? (typed as never) : makeId('blueking', kind, typed)),
  };
  return { backend, queries };
}

const t = translator('en-US');

async function refusalOf(promise: Promise<unknown>): Promise<{ title: string; text: string }> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(Refusal);
  const { reply } = error as Refusal;
  return { title: reply.title ?? '', text: reply.text ?? '' };
}

describe('resolveScript', () => {
  it('finds a name beyond the first page of 100', async () => {
    // Every name contains "job": the platform's part-of-name match returns them all.
    const many = Array.from({ length: 150 }, (_, index) => script(index === 140 ? 'job' : `job_${String.fromCharCode(97 + (index % 26))}${'x'.repeat(Math.floor(index / 26))}`, index));
    const { backend, queries } = scriptsOver(many);
    const found = await resolveScript({ backend, t }, 'custom', 'job');
    expect(found.id).toBe(many[140]!.id);
    expect(queries).toEqual([
      { limit: 100, name: 'job' },
      { limit: 100, after: '99', name: 'job' },
    ]);
  });

  it('takes a reference that has the form of an id as the id', async () => {
    const { backend, queries } = scriptsOver([script('disk_usage', 1)]);
    expect((await resolveScript({ backend, t }, 'custom', 'blueking:script:biz1:1')).name).toBe('disk_usage');
    expect(queries).toEqual([]);
  });

  it('refuses a reference of neither form with the backend’s own words', async () => {
    const { backend } = scriptsOver([script('disk_usage', 1)]);
    expect(await refusalOf(resolveScript({ backend, t }, 'custom', 'Disk Usage!'))).toEqual({ title: '"Disk Usage!" is not a script name or uuid', text: 'names are lower case' });
  });

  it('suggests a close name, and the public script of that name', async () => {
    const { backend } = scriptsOver([script('disk_usage', 1)], [script('check_load', 2, true)]);
    const close = await refusalOf(resolveScript({ backend, t }, 'custom', 'disk_usag'));
    expect(close.text).toBe('Did you mean "disk_usage"? List them with "scripts".');
    const elsewhere = await refusalOf(resolveScript({ backend, t }, 'custom', 'check_load'));
    expect(elsewhere.text).toBe('There is a public (built-in) script of that name: "public script show check_load". List them with "scripts".');
  });

  it('asks for public scripts only where the backend has them', async () => {
    const { backend } = scriptsOver([script('disk_usage', 1)]);
    await expect(resolveScript({ backend, t }, 'public', 'disk_usage')).rejects.toBeInstanceOf(BackendCapabilityMissingError);
    const missing = await refusalOf(resolveScript({ backend, t }, 'custom', 'nothing_here'));
    expect(missing).toEqual({ title: 'No script called "nothing_here"', text: 'List them with "scripts".' });
  });
});
