/**
 * E-mail through an SMTP server (nodemailer). The URL is parsed here with the same parser the
 * configuration's loopback rule uses, so the host that was checked is the host we connect to.
 */
import nodemailer from 'nodemailer';
import { DeliveryError, type OutgoingNotice, type Recipient, type Transport } from './transport.ts';

export interface SmtpOptions {
  /** smtp://[user:password@]host[:port] (STARTTLS when offered) or smtps://… (TLS from the start). */
  url: string;
  from: string;
  timeoutMs: number;
}

/** A plausible address: the API validates the format; this only keeps a damaged row from being tried. */
const EMAIL = /^[^\s@]+@[^\s@]+$/;

export function createSmtpTransport(options: SmtpOptions): Transport {
  const url = new URL(options.url);
  const secure = url.protocol === 'smtps:';
  if (!secure && url.protocol !== 'smtp:') throw new Error(`SMTP_URL must be smtp:// or smtps://, not ${url.protocol}`);
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const mailer = nodemailer.createTransport({
    host,
    port: url.port ? Number(url.port) : secure ? 465 : 25,
    secure,
    ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
    // Messages are plain text built here: never let a field make nodemailer read a file or fetch a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return {
    name: 'smtp',
    canReach: (r: Recipient) => r.email !== null && EMAIL.test(r.email),
    async send(recipient: Recipient, notice: OutgoingNotice) {
      if (recipient.email === null) throw new DeliveryError('no e-mail address');
      try {
        const info = await mailer.sendMail({
          from: options.from,
          to: recipient.email,
          subject: notice.subject,
          text: notice.text,
          // Cyrillic text: base64 is shorter than quoted-printable and survives every relay.
          textEncoding: 'base64',
          headers: { 'Auto-Submitted': 'auto-generated', 'X-Tyndau-Notification': String(notice.notificationId) },
        });
        if (info.rejected.length > 0) throw new DeliveryError(`the SMTP server rejected the recipient (${info.response ?? 'no response'})`);
      } catch (err) {
        if (err instanceof DeliveryError) throw err;
        const e = err as { code?: unknown; responseCode?: unknown; message?: unknown };
        const parts = [typeof e.code === 'string' ? e.code : null, typeof e.responseCode === 'number' ? String(e.responseCode) : null].filter(Boolean);
        throw new DeliveryError(`SMTP ${parts.join(' ') || 'error'}: ${typeof e.message === 'string' ? e.message : 'send failed'}`);
      }
    },
    async close() {
      mailer.close();
    },
  };
}
