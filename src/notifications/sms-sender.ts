/** Where text messages leave the system. `to` is an E.164 number (`+4915123456789`). */
export interface SmsSender {
  send(msg: { to: string; body: string }): Promise<{ messageId: string }>;
}
