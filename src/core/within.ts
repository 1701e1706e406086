/**
 * Waits for a promise for at most `ms`: its value if it settles in time, else `{ done: false }`
 * (the promise goes on; a rejection in time is thrown). The timer is always cleared, so a quick
 * answer leaves nothing pending. Used wherever a platform deadline must not wait on work that may
 * hang (the store, COC).
 */
export async function within<T>(promise: Promise<T>, ms: number): Promise<{ done: true; value: T } | { done: false }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ done: false }>((resolve) => {
    timer = setTimeout(() => resolve({ done: false }), Math.max(0, ms));
  });
  try {
    return await Promise.race([promise.then((value) => ({ done: true as const, value })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
