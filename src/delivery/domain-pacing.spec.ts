import type { DomainRate } from '../config/domain-rates.js';
import { afterReservation, paceStep } from './domain-pacing.js';

const gmail: DomainRate = { domain: 'gmail.com', count: 600, periodMs: 60_000, intervalMs: 100 };
const rates = new Map([[gmail.domain, gmail]]);

describe(paceStep.name, () => {
  it('lets a job to an unpaced domain (or with no domain, enqueued before pacing) go at once', () => {
    expect(paceStep({ deliveryId: '1', domain: 'example.com' }, 0, rates)).toEqual({ send: true });
    expect(paceStep({ deliveryId: '1' }, 0, rates)).toEqual({ send: true });
  });

  it('has a job to a paced domain reserve a slot, whatever the case of its domain', () => {
    expect(paceStep({ deliveryId: '1', domain: 'gmail.com' }, 0, rates)).toEqual({ send: false, reserveOn: gmail });
    expect(paceStep({ deliveryId: '1', domain: 'GMail.com' }, 0, rates)).toEqual({ send: false, reserveOn: gmail });
  });

  it('sends a job whose slot, reserved by this attempt, has come; a retry reserves again', () => {
    const slotted = { deliveryId: '1', domain: 'gmail.com', slot: { at: 1_000, attempt: 2 } };
    expect(paceStep(slotted, 2, rates)).toEqual({ send: true });
    expect(paceStep(slotted, 3, rates)).toEqual({ send: false, reserveOn: gmail });
  });
});

describe(afterReservation.name, () => {
  const data = { deliveryId: '1', domain: 'gmail.com' };

  it('sends at once when the domain is under its rate', () => {
    expect(afterReservation(data, 0, 0, 5_000)).toEqual({ send: true });
  });

  it('waits for a later slot, and remembers it for this attempt', () => {
    expect(afterReservation(data, 1, 250, 5_000)).toEqual({
      send: false,
      until: 5_250,
      data: { ...data, slot: { at: 5_250, attempt: 1 } },
    });
  });
});
