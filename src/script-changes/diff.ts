/**
 * What a script change request shows its approver: the difference between the script as it is
 * and as proposed — its content line by line (jsdiff's unified hunks), its parameters and its
 * properties — with every sensitive default masked, wherever it would appear (even inside the
 * content). Made once when the request is filed and stored as shown (never a secret in it).
 */
import { structuredPatch } from 'diff';
import type { ScriptDraft, ScriptParamDraft } from '../backends/index.js';
import { MASK } from '../core/mask.js';

/** A script as compared: a draft, or nothing (before a create, after a delete). */
export type Side = ScriptDraft | undefined;

export interface ScriptDiff {
  /** `description: old → new`, `risk: LOW → HIGH`, … one line per property that differs. */
  readonly properties: readonly string[];
  /** `+ name = value`, `- name`, `~ name: … → …`; sensitive defaults as MASK. */
  readonly params: readonly string[];
  /** Unified diff lines (`@@ …`, `+…`, `-…`, ` …`), at most CONTENT_LINES of them. */
  readonly content: readonly string[];
  /** Content lines left out past the limit. */
  readonly contentMore: number;
  /** Lines added and removed in the content. */
  readonly added: number;
  readonly removed: number;
}

const CONTENT_LINES = 60;
const CONTEXT = 2;
const VALUE_WIDTH = 80;

/** One line of at most `width` characters, its secrets masked first (a cut must never leave part of one). */
function cut(text: string, secrets: readonly string[], width = VALUE_WIDTH): string {
  const flat = scrubbed(text, secrets).replace(/\r?\n/g, '⏎');
  return [...flat].length > width ? `${[...flat].slice(0, width - 1).join('')}…` : flat;
}

/** Every sensitive default of either side: masked wherever it appears. */
function secretsOf(before: Side, after: Side): string[] {
  const values = [...(before?.params ?? []), ...(after?.params ?? [])].filter((p) => p.sensitive && p.defaultValue).map((p) => p.defaultValue);
  // Longest first, so a value containing another is replaced whole.
  return [...new Set(values)].sort((a, b) => b.length - a.length);
}

export function scrubbed(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) result = result.split(secret).join(MASK);
  return result;
}

function paramValue(param: ScriptParamDraft, secrets: readonly string[]): string {
  return param.sensitive ? `${MASK} (sensitive)` : JSON.stringify(cut(param.defaultValue, secrets));
}

function paramLines(before: Side, after: Side, secrets: readonly string[]): string[] {
  const old = new Map((before?.params ?? []).map((p) => [p.name, p]));
  const now = new Map((after?.params ?? []).map((p) => [p.name, p]));
  const lines: string[] = [];
  for (const [name, param] of now) {
    const was = old.get(name);
    const described = param.description ? ` — ${cut(param.description, secrets, 60)}` : '';
    if (!was) {
      lines.push(`+ ${name} = ${paramValue(param, secrets)}${described}`);
      continue;
    }
    const changes: string[] = [];
    if (was.sensitive !== param.sensitive) changes.push(param.sensitive ? 'now sensitive' : 'no longer sensitive');
    if (was.defaultValue !== param.defaultValue) {
      changes.push(was.sensitive || param.sensitive ? `default changed (${MASK})` : `default ${JSON.stringify(cut(was.defaultValue, secrets))} → ${JSON.stringify(cut(param.defaultValue, secrets))}`);
    }
    if (was.description !== param.description) changes.push(`description ${JSON.stringify(cut(was.description, secrets, 60))} → ${JSON.stringify(cut(param.description, secrets, 60))}`);
    if (changes.length > 0) lines.push(`~ ${name}: ${changes.join('; ')}`);
  }
  for (const name of old.keys()) if (!now.has(name)) lines.push(`- ${name}`);
  return lines;
}

function propertyLines(before: Side, after: Side, secrets: readonly string[]): string[] {
  const shownOf = (side: Side) =>
    side
      ? {
          name: side.name,
          type: side.type,
          description: cut(side.description, secrets),
          risk: side.risk,
          version: side.version,
          reviewers: side.reviewers.map((r) => r.name || r.id).join(', ') || '-',
        }
      : undefined;
  const old = shownOf(before);
  const now = shownOf(after);
  const keys = ['name', 'type', 'description', 'risk', 'version', 'reviewers'] as const;
  const lines: string[] = [];
  for (const key of keys) {
    if (old && now && old[key] === now[key]) continue;
    if (!old && now) lines.push(`+ ${key}: ${now[key]}`);
    else if (old && !now) lines.push(`- ${key}: ${old[key]}`);
    else if (old && now) lines.push(`~ ${key}: ${old[key]} → ${now[key]}`);
  }
  return lines;
}

function contentLines(before: Side, after: Side, secrets: readonly string[]): Pick<ScriptDiff, 'content' | 'contentMore' | 'added' | 'removed'> {
  const normal = (text: string | undefined) => (text === undefined ? '' : text.replace(/\r\n?/g, '\n').replace(/\n*$/, '\n'));
  const patchOf = (old: string | undefined, now: string | undefined) => structuredPatch('before', 'after', normal(old), normal(now), '', '', { context: CONTEXT });
  const patch = patchOf(before?.content, after?.content);
  let added = 0;
  let removed = 0;
  for (const line of patch.hunks.flatMap((hunk) => hunk.lines)) {
    if (line.startsWith('+')) added++;
    if (line.startsWith('-')) removed++;
  }
  // A secret spanning lines is masked in the whole text before the lines are compared (no line holds all of it).
  const spanning = secrets.some((secret) => /[\r\n]/.test(secret));
  const shown = spanning ? patchOf(before && scrubbed(before.content, secrets), after && scrubbed(after.content, secrets)) : patch;
  const all: string[] = [];
  for (const hunk of shown.hunks) {
    all.push(`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`);
    for (const line of hunk.lines) if (!line.startsWith('\\')) all.push(scrubbed(line, secrets));
  }
  return { content: all.slice(0, CONTENT_LINES), contentMore: Math.max(0, all.length - CONTENT_LINES), added, removed };
}

/** The difference from `before` to `after`, sensitive defaults masked. */
export function scriptDiff(before: Side, after: Side): ScriptDiff {
  const secrets = secretsOf(before, after);
  return {
    properties: propertyLines(before, after, secrets).map((line) => scrubbed(line, secrets)),
    params: paramLines(before, after, secrets).map((line) => scrubbed(line, secrets)),
    ...contentLines(before, after, secrets),
  };
}

/** Whether the proposal changes anything at all. */
export function changesNothing(diff: ScriptDiff): boolean {
  return diff.properties.length === 0 && diff.params.length === 0 && diff.added === 0 && diff.removed === 0;
}
