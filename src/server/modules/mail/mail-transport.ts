/** The port the mail module sends through: SMTP, or files an operator can read (adapters/mail). */
export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  attachments?: { filename: string; content: Buffer; contentType: string }[];
  /** Stable per outbox row: a message sent twice (a crash after the server accepted it) reads as one. */
  messageId: string;
}

export interface MailTransport {
  readonly kind: 'smtp' | 'file';
  /** Resolves once the message is accepted (by the SMTP server, or written); says where it went. */
  send(mail: OutgoingMail, name: string): Promise<{ deliveredTo: string }>;
  close(): void;
}
