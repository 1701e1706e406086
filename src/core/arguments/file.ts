/**
 * Files given as arguments, resolved before the handler runs: each `FileReference` the parse
 * step made is read by the invocation's `FileReader` and checked (file-value.ts); a file that
 * cannot be taken is refused with what is wrong and what is allowed.
 */
import { phrase, type Phrase } from '../../i18n/phrase.js';
import type { Text, Translate } from '../../i18n/translate.js';
import { argumentsOf, type SomeTypedCommand } from './define.js';
import { FILE_TEXTS as F } from './file-texts.js';
import { allowedOf, fileAudit, FileReference, kilobytes, textOfBytes, type FileAudit, type FileProblem, type FileReader } from './file-value.js';
import type { FileSpec } from './kinds.js';
import { ArgumentRefusal } from './parse.js';
import type { Problem } from './schema.js';

export * from './file-value.js';

function reasonOf(problem: FileProblem, spec: Pick<FileSpec, 'maxBytes'>, how: Text): Phrase {
  const file = problem.file;
  switch (problem.reason) {
    case 'missing':
      return phrase(F.missing, { file });
    case 'not-regular':
      return phrase(F.notRegular, { file });
    case 'not-text':
      return phrase(F.notText, { file });
    case 'empty':
      return phrase(F.empty, { file });
    case 'too-large':
      return phrase(F.tooLarge, { file, kb: kilobytes(spec.maxBytes), bytes: problem.bytes, max: spec.maxBytes });
    case 'forbidden':
      return phrase(F.forbidden, { file, why: problem.why });
    case 'unavailable':
      return phrase(F.unavailable, { file, why: problem.why });
    case 'other-host':
      return phrase(F.otherHost, { file, hosts: problem.hosts });
    case 'unrecognised':
      return phrase(F.unrecognised, { file, how: phrase(how) });
  }
}

/** A file problem as a refusal: what is wrong with the file, then what is allowed. */
export function fileProblem(name: string, problem: FileProblem, spec: Pick<FileSpec, 'maxBytes'>, how: Text): Problem {
  const lines = '{reason}\n{allowed}';
  return {
    title: phrase(F.title, { name }),
    text: phrase({ 'en-US': lines, 'zh-CN': lines }, { reason: reasonOf(problem, spec, how), allowed: phrase(F.allowedLine, { allowed: allowedOf(spec) }) }),
  };
}

/**
 * The typed arguments with each file reference replaced by the file's text, read by the
 * surface's reader; what the audit keeps of each file, by argument key. Throws
 * ArgumentRefusal for the first file that cannot be taken (nothing is done then).
 */
export async function resolveFileArgs<A extends object>(
  args: A,
  definition: Pick<SomeTypedCommand, 'positionals' | 'flags'>,
  reader: FileReader | undefined,
  t: Translate,
): Promise<{ readonly args: A; readonly audit: Readonly<Record<string, FileAudit>> }> {
  const out: Record<string, unknown> = { ...(args as Record<string, unknown>) };
  const audit: Record<string, FileAudit> = {};
  for (const { key, spec } of argumentsOf(definition)) {
    const value = out[key];
    if (spec.kind !== 'file' || !(value instanceof FileReference)) continue;
    if (!reader) throw new ArgumentRefusal(key, { title: phrase(F.title, { name: key }), text: phrase(F.noFilesHere, { how: phrase(F.howForm) }) }, t);
    const limits = { maxBytes: spec.maxBytes };
    const fetched = await reader.read(value.reference, limits);
    const read = 'problem' in fetched ? fetched : textOfBytes(fetched.name, fetched.data, limits);
    if ('problem' in read) throw new ArgumentRefusal(key, fileProblem(key, read.problem, spec, reader.how), t);
    out[key] = read;
    audit[key] = fileAudit(read);
  }
  return { args: out as A, audit };
}
