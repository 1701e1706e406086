/**
 * Closed sets of values shared by the schema's CHECK constraints, the row schemas and the
 * configuration. Changing one means a new migration as well.
 */

export const CHAT_PLATFORMS = ['slack', 'discord', 'shell'] as const;
export type ChatPlatform = (typeof CHAT_PLATFORMS)[number];

export const ROLES = ['viewer', 'operator', 'approver', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const LOCALES = ['en-US', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];

export const IDENTITY_SOURCES = ['config', 'admin'] as const;
export type IdentitySource = (typeof IDENTITY_SOURCES)[number];

/** Who performed an audited action: a chat platform, or the bot itself. */
export const AUDIT_PLATFORMS = [...CHAT_PLATFORMS, 'system'] as const;
export type AuditPlatform = (typeof AUDIT_PLATFORMS)[number];

/** 'pending': a write to COC recorded before it was sent; 'unknown': it may have acted (see audit/write-intents.ts). */
export const AUDIT_OUTCOMES = ['succeeded', 'failed', 'denied', 'pending', 'unknown'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export const APPROVAL_STATES = ['requested', 'approved', 'rejected', 'expired', 'void', 'executed', 'failed', 'unknown'] as const;
export type ApprovalState = (typeof APPROVAL_STATES)[number];
