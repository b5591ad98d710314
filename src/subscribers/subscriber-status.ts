export enum SubscriberStatus {
  Pending = 'pending',
  Confirmed = 'confirmed',
  Unsubscribed = 'unsubscribed',
  Bounced = 'bounced',
}
