/**
 * The demo transport: the notice goes to the server log. At info level only what identifies the notice
 * (id, case, template, language) and a masked address; the subject and text only at debug level.
 * Outside production it counts as a delivery; production never uses it (see notify/outbox.ts).
 */
import type { Logger } from 'pino';
import { maskPhone } from '../../core/identity/phone.ts';
import { maskEmail, type OutgoingNotice, type Recipient, type Transport } from './transport.ts';

export function createLogTransport(logger: Logger): Transport {
  return {
    name: 'log',
    canReach: () => true,
    async send(recipient: Recipient, notice: OutgoingNotice) {
      // "to", not "phone" or "email": the masked form is what the operator may see.
      const to = recipient.email !== null ? maskEmail(recipient.email) : recipient.phone !== null ? maskPhone(recipient.phone) : null;
      const fields = { notificationId: notice.notificationId, caseId: notice.caseId, template: notice.template, language: notice.language, to };
      logger.info(fields, 'notice (log transport)');
      // Under "body"/"title", not "text": the logger censors any "text"; debug is for a developer's own machine.
      logger.debug({ ...fields, title: notice.subject, body: notice.text }, 'notice content (log transport)');
    },
  };
}
