import { Injectable } from '@nestjs/common';
import { DigestsRepository } from '../../digests/digests.repository.js';
import type { DigestMessage } from './digest-message.js';
import { DigestMessageBuilder } from './digest-message-builder.js';

/**
 * Each worker builds a digest's message the first time it sends it, then reuses it for every
 * subscriber. Content never changes once a digest is sending (a trigger refuses it), so the cache
 * needs no invalidation; it only keeps the last few digests.
 */
@Injectable()
export class DigestMessageCache {
  private readonly messages = new Map<string, Promise<DigestMessage>>();

  constructor(
    private readonly digests: DigestsRepository,
    private readonly builder: DigestMessageBuilder,
  ) {}

  get(digestId: string): Promise<DigestMessage> {
    let message = this.messages.get(digestId);
    if (!message) {
      message = this.load(digestId);
      message.catch(() => this.messages.delete(digestId));
      this.messages.set(digestId, message);
      while (this.messages.size > 4) this.messages.delete(this.messages.keys().next().value!);
    }
    return message;
  }

  private async load(digestId: string): Promise<DigestMessage> {
    const digest = await this.digests.findById(digestId);
    if (!digest?.html || !digest.subject || !digest.text) throw new Error(`digest ${digestId} has no rendered content`);
    return this.builder.message({ subject: digest.subject, html: digest.html, text: digest.text });
  }
}
