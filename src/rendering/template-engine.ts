import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../common/project-root.js';
import { registerHelpers } from './handlebars-helpers.js';
import { SIGNATURE_DELIMITER, wrapText } from './text-wrap.js';

export interface RenderedEmail {
  html: string;
  text: string;
}

type Template = Handlebars.TemplateDelegate;

/**
 * Handlebars, then MJML, then HTML (Vendure's HandlebarsMjmlGenerator pattern). Templates are
 * read and compiled once; partials are registered by file name (`partials/footer.mjml.hbs` is
 * `{{> footer}}`). HTML output escapes every value; plain-text output goes through a second
 * instance that does not, since HTML entities have no place in a text/plain part.
 */
@Injectable()
export class TemplateEngine {
  private readonly root = path.join(projectRoot(), 'templates');
  private readonly html = Handlebars.create();
  private readonly text = Handlebars.create();
  private readonly cache = new Map<string, Template>();

  constructor() {
    for (const hbs of [this.html, this.text]) registerHelpers(hbs);
    const partials = path.join(this.root, 'partials');
    for (const file of readdirSync(partials)) {
      const name = file.replace(/\.(mjml|txt|html)?\.?hbs$/, '');
      const source = readFileSync(path.join(partials, file), 'utf8');
      (file.endsWith('.txt.hbs') ? this.text : this.html).registerPartial(name, source);
    }
  }

  /** Renders `templates/emails/<name>/body.mjml.hbs` and `text.hbs` with the same context. */
  async renderEmail(name: string, context: object): Promise<RenderedEmail> {
    const mjml = this.renderMjml(name, context);
    const text = this.template(this.text, `emails/${name}/text.hbs`)(context, this.options());
    return { html: await compileMjml(mjml), text: tidyText(text) };
  }

  /** The MJML source of an email before compilation, for tests that hold it to MJML's validator. */
  renderMjml(name: string, context: object): string {
    return this.template(this.html, `emails/${name}/body.mjml.hbs`)(context, this.options());
  }

  /** Renders `templates/pages/<name>.hbs` inside `pages/layout.hbs`. */
  renderPage(name: string, context: object): string {
    const body = this.template(this.html, `pages/${name}.hbs`)(context, this.options());
    return this.template(this.html, 'pages/layout.hbs')({ ...context, body }, this.options());
  }

  private template(hbs: typeof Handlebars, file: string): Template {
    const key = `${hbs === this.html ? 'html' : 'text'}:${file}`;
    let compiled = this.cache.get(key);
    if (!compiled) {
      // The text instance must not HTML-escape: "Q&A" stays "Q&A" in a text/plain part.
      compiled = hbs.compile(readFileSync(path.join(this.root, file), 'utf8'), {
        strict: false,
        noEscape: hbs === this.text,
      });
      this.cache.set(key, compiled);
    }
    return compiled;
  }

  /** Templates get plain objects; prototype access stays off. */
  private options(): Handlebars.RuntimeOptions {
    return { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false };
  }
}

/** Loaded on first use: MJML costs ~50 MB, and a send worker never renders. */
let mjmlModule: Promise<{ default: typeof import('mjml') }> | undefined;

/** MJML's strict validation: a template mistake fails loudly instead of sending a broken mail. */
export async function compileMjml(mjml: string): Promise<string> {
  const { default: mjml2html } = await (mjmlModule ??= import('mjml') as Promise<{ default: typeof import('mjml') }>);
  const result = await mjml2html(mjml, { validationLevel: 'strict', keepComments: false, fonts: {} } as never);
  return result.html;
}

/**
 * Collapses the blank lines left behind by template blocks and trailing white space (but not the
 * space of the signature delimiter), then wraps the lines at 78 characters.
 */
function tidyText(text: string): string {
  const lines = text.split('\n').map((line) => (line.trimEnd() === '--' ? SIGNATURE_DELIMITER : line.trimEnd()));
  return (
    wrapText(
      lines
        .join('\n')
        .replace(/\n{3,}/g, '\n\n')
        .trim(),
    ) + '\n'
  );
}
