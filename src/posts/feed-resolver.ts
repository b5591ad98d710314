import { Injectable } from '@nestjs/common';
import { lookup } from 'node:dns/promises';

export interface ResolvedAddress {
  address: string;
  family: number;
}

/**
 * Turns a feed host's name into addresses, as the operating system does (hosts file, then DNS).
 * Its own provider so that a test can answer for names without any DNS, with addresses it must
 * never connect to.
 */
@Injectable()
export class FeedResolver {
  resolve(hostname: string): Promise<ResolvedAddress[]> {
    return lookup(hostname, { all: true });
  }
}
