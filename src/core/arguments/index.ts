/**
 * Arguments as typed data: a command declares its positionals and flags once, as kinds; the
 * parser, refusals, usage line, help, Discord options, audit and echo masking and capability
 * filtering all derive from that declaration.
 *
 *   export const thingsCommand = defineCommand({
 *     words: ['things'], discord: { group: 'things', name: 'list' },
 *     family: 'scripts', permission: 'viewer', mutates: false,
 *     summary: { 'en-US': 'List things', 'zh-CN': '列出事物' },
 *     examples: ['things --limit 5'],
 *     positionals: {},
 *     flags: {
 *       limit: arg.integer({ min: 1, max: 100, default: 20, description: { 'en-US': 'How many to show', 'zh-CN': '显示数量' } }),
 *       risk: arg.enum({ choices: choicesOf(['LOW', 'HIGH']), several: true, description: { 'en-US': 'Risk level', 'zh-CN': '风险等级' } }),
 *     },
 *     async run(context, args, raw) { … args.limit is a number, args.risk is string[] | undefined … },
 *   });
 */
export { arg, choicesOf, choicesIn, typedForm, boundOf, limitsOf } from './kinds.js';
export type { ArgSpec, ArgSpecs, ArgsOf, BackendLimits, Bound, Choice, KeyValue, RunLimits, SuggestionSource, ValueOf } from './kinds.js';
export { defineCommand, needsArgument, argumentsOf } from './define.js';
export type { DiscordPlace, SomeTypedCommand, TypedCommandDefinition } from './define.js';
export { ArgumentRefusal, flagSpecsOf, typedArgs } from './parse.js';
export { usageLine, helpFields, placeholderOf } from './usage.js';
export { maskRulesOf, maskTypedArgs, mergeMaskRules } from './mask.js';
export type { MaskRule, MaskRules } from './mask.js';
export { parseSince, parseDuration } from './since.js';
export { servedBy } from './capabilities.js';
export { formFields, formDefaults, fromForm } from './form.js';
export type { FormFieldsOptions, FormSource, FromForm, FromFormEnv } from './form.js';
export { resolveFileArgs, fileProblem, fileAudit, textOfBytes, textOfForm, FileReference } from './file.js';
export type { FileText, FileAudit, FileReader, FetchedFile, FileProblem, FileLimits } from './file.js';
