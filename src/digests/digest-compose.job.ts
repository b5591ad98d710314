/** The weekly compose job: the period as ISO instants. Its job id is `periodJobId(period)`. */
export interface DigestComposeJobData {
  periodStart: string;
  periodEnd: string;
}
