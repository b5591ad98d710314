import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { AppConfig } from '../config/app-config.js';
import { TemplateEngine } from '../rendering/template-engine.js';
import type { DigestPeriod } from './digest-period.js';
import { DIGEST_PLACEHOLDERS } from './digest-placeholders.js';
import { compileSubjectTemplate, type SubjectValues } from './digest-subject.js';
import { oneLine, truncateWords } from './digest-text.js';

/** A post as the digest shows it: plain text and http(s) URLs, straight from the posts table. */
export interface DigestPostInput {
  id: string;
  url: string;
  title: string;
  summary: string;
  imageUrl: string | null;
  author: string | null;
  publishedAt: Date;
}

/** Everything a digest says, before rendering. `posts` is already capped and in order. */
export interface DigestDraft {
  id: string;
  period: DigestPeriod;
  posts: DigestPostInput[];
  moreCount: number;
}

export interface RenderedDigest {
  subject: string;
  preheader: string;
  html: string;
  text: string;
}

/** A card's summary: a teaser, not the article; it also keeps ten cards well under Gmail's clipping size. */
const SUMMARY_MAX_CHARS = 320;
const PREHEADER_MAX_CHARS = 140;

/**
 * Renders a digest once: Handlebars, then MJML, then HTML, plus the text part. Per-subscriber parts
 * stay placeholders (digest-placeholders.ts); the personaliser fills them at send time.
 */
@Injectable()
export class DigestRenderer {
  private readonly subject: (values: SubjectValues) => string;

  constructor(
    private readonly engine: TemplateEngine,
    private readonly config: AppConfig,
  ) {
    this.subject = compileSubjectTemplate(config.digest.subjectTemplate);
  }

  async render(draft: DigestDraft): Promise<RenderedDigest> {
    const context = this.context(draft);
    const { html, text } = await this.engine.renderEmail('digest', context);
    return { subject: context.subject, preheader: context.preheader, html, text };
  }

  /** The template context: plain objects only (Handlebars' prototype access stays off). */
  context(draft: DigestDraft) {
    const { company, feeds, digest } = this.config;
    const zone = digest.timeZone;
    const count = draft.posts.length;
    const total = count + draft.moreCount;
    const [first] = draft.posts;
    const subject = this.subject({
      shortName: company.shortName,
      firstTitle: first ? oneLine(first.title) : '',
      moreCount: total - 1,
      postCount: total,
    });
    const from = DateTime.fromJSDate(draft.period.start, { zone }).toFormat('MMMM d');
    const to = DateTime.fromJSDate(draft.period.end, { zone }).toFormat('MMMM d, yyyy');
    const what =
      count === 1 ? 'the post' : draft.moreCount ? `the ${count} newest of the ${total} posts` : `the ${count} posts`;
    return {
      subject,
      preheader: truncateWords(oneLine(draft.posts.map((post) => post.title).join(' · ')), PREHEADER_MAX_CHARS),
      heading: `This week on the ${company.shortName} blog`,
      intro: `Here ${count === 1 ? 'is' : 'are'} ${what} we published between ${from} and ${to}.`,
      company,
      posts: draft.posts.map((post) => ({
        title: post.title,
        url: post.url,
        imageUrl: post.imageUrl,
        author: post.author,
        summary: truncateWords(oneLine(post.summary), SUMMARY_MAX_CHARS),
        date: DateTime.fromJSDate(post.publishedAt, { zone }).toFormat('MMMM d, yyyy'),
      })),
      moreCount: draft.moreCount,
      blogUrl: feeds.blogUrl,
      reason: `You receive this mail because you subscribed to the ${company.shortName} weekly digest and confirmed your address.`,
      unsubscribeUrl: DIGEST_PLACEHOLDERS.unsubscribeUrl,
      manageUrl: DIGEST_PLACEHOLDERS.manageUrl,
      archiveUrl: this.config.url(`/archive/${draft.id}`),
    };
  }
}
