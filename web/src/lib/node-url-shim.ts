/** The browser's stand-in for node:url's domainToASCII: the WHATWG URL parser applies the same IDNA (UTS #46). */
export function domainToASCII(domain: string): string {
  try {
    return new URL(`http://${domain}/`).hostname;
  } catch {
    return '';
  }
}
