// Writes that must land eventually (a sign-out's delete during a store outage): retried with backoff until they succeed or no longer matter.

/** The first retry after this long, doubling up to the ceiling: a store back in a second is found in a second, a long outage costs a call every few seconds. */
const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 5000;
/** More pending writes than this means the store has been gone for long: the oldest are given up (logged), memory stays bounded. */
const MAX_PENDING = 10_000;

interface Job {
  run: () => Promise<void>;
  /** Epoch ms after which the write no longer matters (the session would have expired anyway). */
  until: number;
  delay: number;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export interface RetryQueue {
  /** Keeps `run` retrying until it resolves or `until` passes; a key already pending keeps its job. */
  add(key: string, run: () => Promise<void>, until: number): void;
  /** Whether a write for `key` is still pending: the caller acts as if it had landed. */
  has(key: string): boolean;
  /** Pending writes (for tests and diagnostics). */
  readonly size: number;
}

export function createRetryQueue(onGiveUp: (key: string, reason: 'expired' | 'full') => void): RetryQueue {
  const jobs = new Map<string, Job>();

  function schedule(key: string, job: Job): void {
    job.timer = setTimeout(() => void attempt(key, job), job.delay);
    // A pending retry never keeps a process alive that would otherwise exit.
    (job.timer as { unref?: () => void }).unref?.();
  }

  async function attempt(key: string, job: Job): Promise<void> {
    if (jobs.get(key) !== job) return;
    if (Date.now() > job.until) {
      jobs.delete(key);
      onGiveUp(key, 'expired');
      return;
    }
    try {
      await job.run();
      if (jobs.get(key) === job) jobs.delete(key);
    } catch {
      if (jobs.get(key) !== job) return;
      job.delay = Math.min(job.delay * 2, MAX_RETRY_MS);
      schedule(key, job);
    }
  }

  return {
    add(key, run, until) {
      if (jobs.has(key)) return;
      if (jobs.size >= MAX_PENDING) {
        const [oldest, job] = jobs.entries().next().value as [string, Job];
        clearTimeout(job.timer);
        jobs.delete(oldest);
        onGiveUp(oldest, 'full');
      }
      const job: Job = { run, until, delay: FIRST_RETRY_MS, timer: undefined };
      jobs.set(key, job);
      schedule(key, job);
    },
    has: (key) => jobs.has(key),
    get size() {
      return jobs.size;
    },
  };
}
