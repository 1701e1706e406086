/** Where a plan's messages go and who asked for it, from its stored row. */
import type { ChatTarget } from '../core/chat-surface.js';
import type { Actor } from '../core/invocation.js';
import type { RunPlanRow } from '../store/run-plans.js';

export function planTarget(plan: RunPlanRow): ChatTarget {
  return { platform: plan.platform, workspaceId: plan.workspaceId, channelId: plan.channelId, ...(plan.threadRef ? { threadId: plan.threadRef } : {}) };
}

export function requesterOf(plan: RunPlanRow): Actor {
  return { platform: plan.platform, workspaceId: plan.workspaceId, userId: plan.requesterChatUserId };
}
