import { Subscribers1764000000000 } from './1764000000000-Subscribers.js';
import { Posts1764000001000 } from './1764000001000-Posts.js';

/** Every migration, in order. Listed by hand so that the app, the CLI and the tests load the same set. */
export const migrations = [Subscribers1764000000000, Posts1764000001000];
