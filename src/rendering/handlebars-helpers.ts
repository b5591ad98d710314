import type Handlebars from 'handlebars';

/** Helpers available to every template, registered once per Handlebars instance. */
export function registerHelpers(hbs: typeof Handlebars): void {
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
}
