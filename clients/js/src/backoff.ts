/** How long to wait between connection attempts. */
export interface BackoffOptions {
  /** The delay before the first retry, in ms (default 500). */
  initialDelay?: number;
  /** The longest delay, in ms (default 30,000). */
  maxDelay?: number;
  /** How much the delay grows after each failed attempt (default 2). */
  factor?: number;
}

/**
 * The delay before retry number `attempt` (0 for the first): it grows by `factor` up to `maxDelay`, and a random
 * half of it is jitter, so clients cut off together do not come back together.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const initial = options.initialDelay ?? 500;
  const max = options.maxDelay ?? 30_000;
  const factor = options.factor ?? 2;
  const ceiling = Math.min(max, initial * Math.pow(factor, Math.min(attempt, 64)));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * The delay after a `shutdown` frame: at least `retryAfter`, and up to twice it, so that the clients of a node that
 * goes away spread their reconnects.
 */
export function shutdownDelay(retryAfter: number, random: () => number = Math.random): number {
  const base = Math.max(0, retryAfter);
  return Math.round(base + random() * base);
}
