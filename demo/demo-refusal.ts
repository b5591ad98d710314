/** The demo will not touch what it was pointed at; the message is the one line it prints before stopping. */
export class DemoRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoRefusal';
  }
}
