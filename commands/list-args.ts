/**
 * Arguments the listing commands (`scripts`, `hosts`, `patch`) declare alike: how many to show,
 * which page, and a region id. Declared once so their ranges and wording stay the same.
 */
import { arg } from '../src/core/arguments/index.js';
import type { Text } from '../src/i18n/translate.js';

/** Region ids: lower-case words and digits joined by dashes (cn-north-4, eu-west-101). */
const REGION_ID = /^[a-z]{2,}(?:-[a-z0-9]+){1,4}$/;

const TEXT = {
  howMany: { 'en-US': 'How many to show', 'zh-CN': '显示数量' },
  page: { 'en-US': 'Page number', 'zh-CN': '页码' },
  region: { 'en-US': 'Region id, e.g. cn-north-4', 'zh-CN': '区域 id，例如 cn-north-4' },
  regionSays: { 'en-US': 'give a region id such as cn-north-4 or ap-southeast-3', 'zh-CN': '请给出区域 ID，例如 cn-north-4 或 ap-southeast-3' },
} satisfies Record<string, Text>;

/** `--limit 1-100`; `description` when the rows are not "how many to show" (hosts per page…). */
export function limitArg<const D extends number>(defaultLimit: D, description: Text = TEXT.howMany) {
  return arg.integer({ min: 1, max: 100, default: defaultLimit, description });
}

/** `--page n`, from 1. */
export function pageArg() {
  return arg.integer({ min: 1, max: 100_000, default: 1, description: TEXT.page, placeholder: { 'en-US': 'n', 'zh-CN': 'n' } });
}

/** `--region id`, a filter only some backends can apply. */
export function regionArg(needs?: string) {
  const spec = arg.string({ max: 64, pattern: { re: REGION_ID, says: TEXT.regionSays }, description: TEXT.region, placeholder: { 'en-US': 'id', 'zh-CN': 'id' } });
  return needs === undefined ? spec : { ...spec, needs };
}
