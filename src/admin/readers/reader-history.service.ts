import { Injectable } from '@nestjs/common';
import type { ReaderDeliveryDto } from './dto/reader.dto.js';

/**
 * A reader's delivery history, shown with the reader and in a data-access export. Kept behind
 * this one method so that the delivery feature can fill it in without touching the admin API.
 */
@Injectable()
export class ReaderHistoryService {
  /** Newest first. Empty until deliveries are recorded per reader (issue 5). */
  async deliveriesOf(_subscriberId: string): Promise<ReaderDeliveryDto[]> {
    return [];
  }
}
