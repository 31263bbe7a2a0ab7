export type { EmailTransport } from './email-transport.js';
export { createSmtpEmailTransport, parseSmtpUrl } from './adapters/smtp.js';
export { createDevMailbox, createMailboxEmailTransport, type DevMailbox, type MailboxMessage } from './adapters/dev-mailbox.js';
export { devMailboxRoutes } from './routes.js';
export { renderEmail, resolveEmailLocale, escapeHtml, EMAIL_LOCALES, type EmailTemplate } from './templates.js';
export { recordNotificationSent, wasNotificationSent, hashAddress } from './repository.js';
