import type { AdminRequest } from '../common/admin-role.js';

/** A console request after the session guard: who it is, and the CSRF token its forms carry. */
export type ConsoleRequest = AdminRequest & {
  consoleSession?: { id: string; csrfToken: string };
};

/** Thrown for a page asked without a live session: the filter sends the browser to the sign-in page. */
export class ConsoleSignInRequired extends Error {}
