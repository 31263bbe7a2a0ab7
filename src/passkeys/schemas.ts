import { z } from 'zod';

// The browser's PublicKeyCredential, serialised by @simplewebauthn/browser (base64url fields).
// Unknown keys pass through: authenticators and browsers add fields, and the verifier ignores what it does not know.
const b64url = z.string().regex(/^[A-Za-z0-9_-]+$/).max(16_384);

export const registrationResponseBody = z.looseObject({
  id: b64url,
  rawId: b64url,
  type: z.literal('public-key'),
  response: z.looseObject({
    clientDataJSON: b64url,
    attestationObject: b64url,
    transports: z.array(z.string().max(32)).max(10).optional(),
  }),
  clientExtensionResults: z.looseObject({}).default({}),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
});

export const authenticationResponseBody = z.looseObject({
  id: b64url,
  rawId: b64url,
  type: z.literal('public-key'),
  response: z.looseObject({
    clientDataJSON: b64url,
    authenticatorData: b64url,
    signature: b64url,
    userHandle: b64url.optional(),
  }),
  clientExtensionResults: z.looseObject({}).default({}),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
});

/** WebAuthn options as the browser's navigator.credentials wants them (JSON form): passed through as generated. */
export const ceremonyOptionsSchema = z.looseObject({ challenge: z.string(), timeout: z.number().optional() });

export const passkeySchema = z.object({
  id: z.string(),
  credential_id: z.string(),
  device_type: z.enum(['singleDevice', 'multiDevice']),
  backed_up: z.boolean(),
  transports: z.array(z.string()),
  created_at: z.string(),
});

export const passkeySessionSchema = z.object({
  customer_id: z.string(),
  session: z.object({ id: z.string(), method: z.string(), stepped_up: z.boolean() }),
});
