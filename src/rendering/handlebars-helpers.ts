import type Handlebars from 'handlebars';

/** Helpers available to every template, registered once per Handlebars instance. */
export function registerHelpers(hbs: typeof Handlebars): void {
  hbs.registerHelper('year', () => new Date().getUTCFullYear());
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hbs.registerHelper('formatDate', (value: Date | string, timeZone?: unknown) =>
    new Date(value).toLocaleDateString('en-US', {
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      timeZone: typeof timeZone === 'string' ? timeZone : 'UTC',
    }),
  );
}
