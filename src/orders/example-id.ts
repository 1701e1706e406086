/**
 * What an order id looks like on each platform: COC's execute uuid, and on BlueKing the uuid of
 * the bot's own run plan (its batches are single Job executions). Shown in examples and in the
 * "check the id" hint of an order that was not found, so neither names another platform's shape.
 */
import type { BackendName } from '../backends/index.js';

export const EXAMPLE_ORDER_ID: Readonly<Record<BackendName, string>> = {
  coc: 'SCT2026031409300101ab2cd3e',
  blueking: '5d0f3a2e-8c41-4b7a-9e16-2f7c0b9d4a13',
};
