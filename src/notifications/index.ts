export type { EmailTransport } from './email-transport.js';
export { SmsSendError, type SmsSender, type SmsRefusal } from './sms-sender.js';
export { createTwilioSmsSender, TwilioError } from './adapters/twilio.js';
export { renderSms } from './sms-templates.js';
export { createSmtpEmailTransport, parseSmtpUrl } from './adapters/smtp.js';
export { createDevMailbox, createMailboxEmailTransport, createMailboxSmsSender, type DevMailbox, type MailboxMessage } from './adapters/dev-mailbox.js';
export { devMailboxRoutes } from './routes.js';
export { renderEmail, resolveEmailLocale, escapeHtml, EMAIL_LOCALES, type EmailTemplate } from './templates.js';
export { recordNotificationSent, wasNotificationSent, hashAddress } from './repository.js';
