import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { MailTransport, OutgoingMail } from '../../modules/mail/mail-transport.js';

/** Email through the SMTP server of SMTP_URL (smtp://user:pass@host:port, smtps:// for TLS). */
export function smtpTransport(url: string): MailTransport {
  const transport = nodemailer.createTransport({
    url,
    // A server that does not answer must not hold the sending job for minutes.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    kind: 'smtp',
    async send(mail: OutgoingMail) {
      await transport.sendMail(mail);
      return { deliveredTo: 'smtp' };
    },
    close: () => transport.close(),
  };
}

/**
 * Without SMTP_URL: each message is written as an .eml file (the whole message, attachments
 * included; any mail program opens it) under `dir`, never dropped.
 */
export function fileTransport(dir: string): MailTransport {
  const compose = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    kind: 'file',
    async send(mail: OutgoingMail, name: string) {
      const info = await compose.sendMail(mail);
      await mkdir(dir, { recursive: true });
      const file = path.join(dir, `${name.replace(/[^A-Za-z0-9._-]/g, '_')}.eml`);
      // Written whole, then renamed: a reader never sees half a message.
      const partial = `${file}.partial`;
      await writeFile(partial, info.message as Buffer);
      await rename(partial, file);
      return { deliveredTo: file };
    },
    close: () => compose.close(),
  };
}

/** SMTP_URL's server, else files in DATA_DIR/mail. */
export const mailTransportOf = (config: { SMTP_URL?: string; DATA_DIR: string }): MailTransport =>
  config.SMTP_URL ? smtpTransport(config.SMTP_URL) : fileTransport(path.join(config.DATA_DIR, 'mail'));
