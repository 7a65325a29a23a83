// A frozen clock for tests: node:test's mock timers on Date only, so "an hour later" needs no waiting (timers keep running).
import { mock } from 'node:test';

/** Runs `body` with the clock `ms` ahead and frozen there, then puts it back, whatever `body` did. */
export async function later<T>(ms: number, body: () => Promise<T>): Promise<T> {
  mock.timers.enable({ apis: ['Date'], now: Date.now() + ms });
  try {
    return await body();
  } finally {
    mock.timers.reset();
  }
}
