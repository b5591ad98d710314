import { Injectable } from '@nestjs/common';
import { createHash, createHmac } from 'node:crypto';
import { AppConfig } from '../config/app-config.js';

/**
 * The one definition of how an address is kept when the address itself must not be: an
 * HMAC-SHA-256 under SUPPRESSION_KEY, so that a leaked table cannot be matched against a list of
 * known addresses without the key. `legacy` is the unkeyed SHA-256 that rows written before the
 * key existed hold; it is only ever compared, never written.
 */
@Injectable()
export class AddressHasher {
  constructor(private readonly config: AppConfig) {}

  keyed(normalisedEmail: string): Buffer {
    return createHmac('sha256', this.config.subscriptions.suppressionKey).update(normalisedEmail, 'utf8').digest();
  }

  legacy(normalisedEmail: string): Buffer {
    return createHash('sha256').update(normalisedEmail, 'utf8').digest();
  }
}
