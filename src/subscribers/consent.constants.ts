/**
 * The consent text shown by each version of the subscribe form. Stored with every consent
 * event, so the wording a subscriber agreed to stays provable after the form changes: add a version,
 * never edit one.
 */
export const CONSENT_TEXTS: Record<string, (companyShortName: string) => string> = {
  'subscribe-form-v1': (company) =>
    `Yes, email me the ${company} weekly digest: one message a week with the new articles from the ${company} blog. I can unsubscribe at any time with one click.`,
};

export const CURRENT_FORM_VERSION = 'subscribe-form-v1';
