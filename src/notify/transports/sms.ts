/**
 * SMS through an HTTP gateway: POST {"to": "+77…", "text": "…"} as JSON, with an optional bearer token.
 * A 2xx answer means the gateway took the message; anything else (a redirect included: it is never
 * followed, so a gateway cannot send us elsewhere) is a failed attempt, retried by the outbox.
 */
import { DeliveryError, type OutgoingNotice, type Recipient, type Transport } from './transport.ts';

export interface SmsGatewayOptions {
  url: string;
  token?: string | undefined;
  timeoutMs: number;
}

/** Kazakhstan mobile numbers as sign-in stores them (E.164). */
const E164 = /^\+7\d{10}$/;

export function createSmsGatewayTransport(options: SmsGatewayOptions): Transport {
  return {
    name: 'sms',
    canReach: (r: Recipient) => r.phone !== null && E164.test(r.phone),
    async send(recipient: Recipient, notice: OutgoingNotice, signal: AbortSignal) {
      if (recipient.phone === null) throw new DeliveryError('no phone number');
      let response: Response;
      try {
        response = await fetch(options.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          },
          body: JSON.stringify({ to: recipient.phone, text: notice.text }),
          redirect: 'manual',
          signal: AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs)]),
        });
      } catch (err) {
        const e = err as { name?: unknown; cause?: { code?: unknown } };
        if (e.name === 'TimeoutError' || e.name === 'AbortError') throw new DeliveryError('SMS gateway: timed out');
        throw new DeliveryError(`SMS gateway: ${typeof e.cause?.code === 'string' ? e.cause.code : 'request failed'}`);
      }
      // The body is not read beyond a short status text: it may echo the number or the message.
      await response.body?.cancel().catch(() => undefined);
      if (response.status < 200 || response.status > 299) throw new DeliveryError(`SMS gateway: HTTP ${response.status}`);
    },
  };
}
