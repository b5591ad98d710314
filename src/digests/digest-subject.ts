import Handlebars from 'handlebars';
import { oneLine, truncateWords } from './digest-text.js';

/** What DIGEST_SUBJECT_TEMPLATE may use. */
export interface SubjectValues {
  shortName: string;
  firstTitle: string;
  moreCount: number;
  postCount: number;
}

/** Long enough for a title and "and 9 more"; inboxes show about 60–90 characters anyway. */
export const SUBJECT_MAX_CHARS = 150;

/**
 * Compiles the configured subject template once. A subject is a header, not HTML: nothing is
 * HTML-escaped, and the result is one trimmed line of at most SUBJECT_MAX_CHARS characters, so
 * no feed title can add a header or run on.
 */
export function compileSubjectTemplate(template: string): (values: SubjectValues) => string {
  const hbs = Handlebars.create();
  const compiled = hbs.compile(template, { noEscape: true, strict: false });
  // Compile errors surface now (at start-up), not on Monday morning.
  compiled({ shortName: 'x', firstTitle: 'x', moreCount: 0, postCount: 1 });
  return (values) => {
    const subject = oneLine(
      compiled({ ...values }, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false }),
    );
    return truncateWords(subject || `${values.shortName} weekly digest`, SUBJECT_MAX_CHARS);
  };
}
