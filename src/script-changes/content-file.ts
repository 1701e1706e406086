/**
 * A script's content from a path on the terminal's own machine. Only the terminal reads paths:
 * from Slack or Discord a path would read the bot's server disk, so there it is refused.
 * Checked like any file argument: a regular file, UTF-8 text, within a size bound (the
 * platform's own content rule then says how long a script may be).
 */
import { readFile, stat } from 'node:fs/promises';
import type { ChatPlatform } from '../store/vocabulary.js';
import { phrase, type Phrase } from '../i18n/phrase.js';
import type { Text } from '../i18n/translate.js';

const MAX_BYTES = 64 * 1024;

export const CONTENT_FILE_TEXT = {
  notHere: { 'en-US': '--file takes a path only in the terminal; here, give the content in the form ("scripts create <name>" alone opens it).', 'zh-CN': '--file 仅在终端中接受路径；在此请通过表单提供内容（仅输入 "scripts create <名称>" 即可打开）。' },
  missing: { 'en-US': '--file {path}: no such file', 'zh-CN': '--file {path}：文件不存在' },
  notRegular: { 'en-US': '--file {path}: not a regular file', 'zh-CN': '--file {path}：不是普通文件' },
  tooLarge: { 'en-US': '--file {path}: {bytes} bytes, more than a script may hold ({max} bytes at most)', 'zh-CN': '--file {path}：{bytes} 字节，超过脚本可容纳的大小（最多 {max} 字节）' },
  notText: { 'en-US': '--file {path}: not UTF-8 text', 'zh-CN': '--file {path}：不是 UTF-8 文本' },
  unreadable: { 'en-US': '--file {path}: could not be read ({why})', 'zh-CN': '--file {path}：无法读取（{why}）' },
} satisfies Record<string, Text>;

/** The text at `path`, or why it cannot be taken. */
export async function readContentFile(platform: ChatPlatform, path: string): Promise<{ text: string } | { problem: Phrase }> {
  if (platform !== 'shell') return { problem: phrase(CONTENT_FILE_TEXT.notHere) };
  try {
    const info = await stat(path);
    if (!info.isFile()) return { problem: phrase(CONTENT_FILE_TEXT.notRegular, { path }) };
    if (info.size > MAX_BYTES) return { problem: phrase(CONTENT_FILE_TEXT.tooLarge, { path, bytes: info.size, max: MAX_BYTES }) };
    const data = await readFile(path);
    const text = new TextDecoder('utf-8', { fatal: true }).decode(data);
    return { text };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { problem: phrase(CONTENT_FILE_TEXT.missing, { path }) };
    if (error instanceof TypeError) return { problem: phrase(CONTENT_FILE_TEXT.notText, { path }) };
    return { problem: phrase(CONTENT_FILE_TEXT.unreadable, { path, why: code ?? 'error' }) };
  }
}
