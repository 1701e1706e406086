/**
 * The notes under a paged list (`incidents`, `warrooms`): which page this is (or that it is past
 * the end), how to get the next one with the same filters, and the filters in force.
 */
import type { Text, Translate } from '../src/i18n/translate.js';

const TEXT = {
  page: { 'en-US': 'Page {page} of {pages}.', 'zh-CN': '第 {page} 页，共 {pages} 页。' },
  pastEnd: { 'en-US': 'Page {page} is past the end: {pages:page|pages} in all.', 'zh-CN': '第 {page} 页超出范围：共 {pages} 页。' },
  next: { 'en-US': 'Next: {command} --page {next}{same}.', 'zh-CN': '下一页：{command} --page {next}{same}。' },
  sameFilters: { 'en-US': ' (with the same filters)', 'zh-CN': '（保持相同筛选条件）' },
  filters: { 'en-US': 'Filters: {filters}.', 'zh-CN': '筛选：{filters}。' },
} satisfies Record<string, Text>;

export interface PageState {
  /** The command that lists them, as typed (`incidents`). */
  readonly command: string;
  readonly page: number;
  readonly pages: number;
  /** No item on this page. */
  readonly empty: boolean;
  /** The filters in force, each already said. */
  readonly filters: readonly string[];
  /** `--limit` was given: the next page needs it again, like the filters. */
  readonly limitGiven: boolean;
}

export function pageNotes(t: Translate, state: PageState): string[] {
  const { command, page, pages, filters } = state;
  const notes = [state.empty && page > pages ? t(TEXT.pastEnd, { page, pages }) : t(TEXT.page, { page, pages })];
  if (page < pages) notes.push(t(TEXT.next, { command, next: page + 1, same: filters.length || state.limitGiven ? t(TEXT.sameFilters) : '' }));
  if (filters.length) notes.push(t(TEXT.filters, { filters: filters.join(', ') }));
  return notes;
}
