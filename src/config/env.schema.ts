import { InboundEnv } from './env/inbound.env.js';

/**
 * Every environment variable Tidings reads, with its default. Validated once at start by
 * `loadConfig`; nothing else reads `process.env`. Declared by area in `env/`, each class
 * extending the one before, so that each file stays about one concern.
 */
export class EnvSchema extends InboundEnv {}
