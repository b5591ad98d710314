/** A send job carries only the delivery's id; everything else is read from PostgreSQL. */
export interface DeliveryJobData {
  deliveryId: string;
}

/** Deterministic: adding the same delivery twice while its job lives is a no-op in BullMQ. */
export const deliveryJobId = (deliveryId: string) => `delivery-${deliveryId}`;
