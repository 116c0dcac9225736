import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server on loopback that keeps what it receives, parsed. `rejectRecipients` answers
 * `550` to those addresses at RCPT TO (a bounce at the door); `stop()` and `start()` again on the same
 * port play an outage.
 */
export class SmtpReceiver {
  readonly mails: ParsedMail[] = [];
  readonly rejectRecipients = new Set<string>();
  readonly port: number;
  #server: SMTPServer | undefined;

  constructor(port: number) {
    this.port = port;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const server = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
      onRcptTo: (address, _session, callback) => {
        if (this.rejectRecipients.has(address.address)) {
          callback(Object.assign(new Error('5.1.1 mailbox unavailable'), { responseCode: 550 }));
        } else callback();
      },
      onData: (stream, _session, callback) => {
        simpleParser(stream).then((mail) => { this.mails.push(mail); callback(); }, (error: Error) => callback(error));
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.#server = server;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The first mail to `address` that arrives within `timeoutMs`. */
  async waitFor(address: string, timeoutMs = 20_000): Promise<ParsedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const mail = this.mails.find((m) => [m.to].flat().some((to) => to?.value.some((v) => v.address === address)));
      if (mail) return mail;
      if (Date.now() > deadline) throw new Error(`no mail to ${address} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
