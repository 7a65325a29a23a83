// The session strategy of an instance, chosen once at createAuth: the one place that looks at `session.strategy`.
import type { ResolvedConfig } from '../../config.js';
import type { SessionStrategy } from '../../context.js';
import { databaseSessions } from './database.js';
import { jwtSessions } from './jwt.js';

export function sessionStrategyOf(config: ResolvedConfig): SessionStrategy {
  return config.strategy.kind === 'jwt' ? jwtSessions : databaseSessions(config.strategy.store);
}
