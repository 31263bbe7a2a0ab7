/** Where email leaves the system. */
export interface EmailTransport {
  send(msg: { to: string; subject: string; text: string; html?: string }): Promise<{ messageId: string }>;
}
