/** Arguments as typed data: declare a command's positionals and flags once; everything else derives from them. */
export { arg, choicesOf, typedForm, boundOf } from './kinds.js';
export type { ArgSpec, ArgSpecs, ArgsOf, BackendLimits, Bound, Choice, KeyValue, RunLimits, SuggestionSource, ValueOf } from './kinds.js';
export { defineCommand, needsArgument, argumentsOf } from './define.js';
export type { DiscordPlace, SomeTypedCommand, TypedCommandDefinition } from './define.js';
export { ArgumentRefusal, flagSpecsOf, typedArgs } from './parse.js';
export { usageLine, helpFields, placeholderOf } from './usage.js';
export { maskRulesOf, maskTypedArgs, mergeMaskRules } from './mask.js';
export type { MaskRule, MaskRules } from './mask.js';
export { parseSince, parseDuration } from './since.js';
export { servedBy } from './capabilities.js';
