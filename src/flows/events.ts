// Firing the `events` handlers: notifications that never break the flow they report on.
import type { ResolvedConfig } from '../config.js';

type EventName = keyof NonNullable<ResolvedConfig['events']>;

/** Events are notifications: a throwing handler is logged and never breaks the flow. */
export async function fire(config: ResolvedConfig, event: EventName, message: unknown): Promise<void> {
  const handler = config.events[event] as ((message: unknown) => unknown) | undefined;
  if (!handler) return;
  try {
    await handler(message);
  } catch (error) {
    config.logger.error('EVENT_ERROR', { event, error });
  }
}
