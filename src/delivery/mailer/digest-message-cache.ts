import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config.js';
import { DIGEST_PLACEHOLDERS } from '../../digests/digest-placeholders.js';
import { MimeTemplate } from './mime-template.js';

const PLACEHOLDERS = Object.values(DIGEST_PLACEHOLDERS);

/**
 * Each worker compiles a digest into a MimeTemplate the first time it sends it, then reuses it
 * for every reader. Content never changes once a digest is sending (a trigger refuses it), so the
 * cache needs no invalidation; it only keeps the last few digests.
 */
@Injectable()
export class DigestMessageCache {
  private readonly templates = new Map<string, Promise<MimeTemplate>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  get(digestId: string): Promise<MimeTemplate> {
    let template = this.templates.get(digestId);
    if (!template) {
      template = this.compile(digestId);
      template.catch(() => this.templates.delete(digestId));
      this.templates.set(digestId, template);
      while (this.templates.size > 4) this.templates.delete(this.templates.keys().next().value!);
    }
    return template;
  }

  private async compile(digestId: string): Promise<MimeTemplate> {
    // Rendering sets subject, html and text together, so html being there vouches for the other two.
    const [digest] = await this.dataSource.query<{ subject: string; html: string | null; text: string }[]>(`SELECT subject, html, text FROM digests WHERE id = $1`, [digestId]);
    if (!digest?.html) throw new Error(`digest ${digestId} has no rendered content`);
    const company = this.config.company;
    return new MimeTemplate({
      from: this.config.mail.from,
      subject: digest.subject,
      html: digest.html,
      text: digest.text,
      placeholders: PLACEHOLDERS,
      headers: {
        'List-Id': `"${company.shortName.replace(/["\\]/g, '')} weekly digest" <${this.config.delivery.listId}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        'List-Archive': `<${this.config.url('/archive')}>`,
      },
    });
  }
}
