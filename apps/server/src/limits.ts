/**
 * Requests per client address per minute, counted in fixed one-minute windows. Sign-in has its
 * own, stricter limit (five failures per user and address in 15 minutes) in the API.
 */
export class RateLimiter {
  private window = 0;
  private counts = new Map<string, number>();
  constructor(
    readonly limit: number,
    readonly windowMs = 60_000,
  ) {}

  /** Counts one request; returns 0 if allowed, else the milliseconds until the next window. */
  take(key: string, now: number): number {
    if (this.limit <= 0) return 0;
    const window = Math.floor(now / this.windowMs);
    if (window !== this.window) {
      this.window = window;
      this.counts = new Map();
    }
    const n = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, n);
    return n > this.limit ? (window + 1) * this.windowMs - now : 0;
  }
}
