/**
 * A tiny command taking one file argument, for the tests of the file kind on each surface: it
 * keeps what its handler received and answers with the file's name and size.
 */
import { arg, defineCommand, type FileText } from '../../src/core/arguments/index.js';

export const FILE_PROBE_MAX = 64;

const d = (en: string, zh: string) => ({ 'en-US': en, 'zh-CN': zh });

/** `file-probe --content <file>`; `example` is how the surface under test names a file. */
export function fileProbeCommand(example: string, received: FileText[]) {
  return defineCommand({
    words: ['file-probe'],
    discord: { name: 'file-probe' },
    family: 'scripts',
    permission: 'viewer',
    mutates: false,
    summary: d('Reads a file', '读取文件'),
    examples: [`file-probe --content ${example}`],
    positionals: {},
    flags: { content: arg.file({ required: true, maxBytes: FILE_PROBE_MAX, description: d('Script content', '脚本内容'), localName: d('content', '内容') }) },
    async run(_, args) {
      received.push(args.content);
      return { title: `Read ${args.content.name}`, text: `${args.content.bytes} bytes` };
    },
  });
}
