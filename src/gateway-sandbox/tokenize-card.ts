import type { FieldErrors } from '../kernel/errors.js';
import { seal } from '../kernel/crypto.js';
import { newId } from '../kernel/ids.js';
import { cardCountry, cvcValid, detectBrand, isExpired, normalizePan, panValid } from './card-rules.js';
import { gatewayErrors } from './errors.js';
import { cardFingerprint, type GatewayContext } from './keys.js';
import { insertToken } from './repository.js';

export interface TokenizeCardInput {
  number: string;
  exp_month: number;
  exp_year: number;
  cvc: string;
}

export interface TokenizedCard {
  id: string;
  card: { brand: string; last4: string; exp_month: number; exp_year: number };
}

/** Turn a raw card into a single-use token; the PAN leaves this call only as ciphertext, the CVC not at all. */
export async function tokenizeCard(ctx: GatewayContext, input: TokenizeCardInput): Promise<TokenizedCard> {
  const pan = normalizePan(input.number);
  const brand = detectBrand(pan);
  // Two-digit years are common in card forms: 29 means 2029.
  const expYear = input.exp_year >= 0 && input.exp_year < 100 ? 2000 + input.exp_year : input.exp_year;
  const expMonth = input.exp_month;
  const now = ctx.clock.now();

  const fields: FieldErrors = {};
  if (!panValid(pan)) fields.number = ['invalid_number'];
  const monthOk = Number.isInteger(expMonth) && expMonth >= 1 && expMonth <= 12;
  const yearOk = Number.isInteger(expYear) && expYear >= 2000 && expYear <= now.getUTCFullYear() + 50;
  if (!monthOk) fields.exp_month = ['invalid_exp_month'];
  if (!yearOk) fields.exp_year = ['invalid_exp_year'];
  if (monthOk && yearOk && isExpired(expMonth, expYear, now)) {
    fields.exp_month = ['expired'];
    fields.exp_year = ['expired'];
  }
  if (!cvcValid(input.cvc, brand)) fields.cvc = ['invalid_cvc'];
  if (Object.keys(fields).length > 0) throw gatewayErrors.gateway_card_invalid({ fields });

  const token = {
    id: newId('tok', now.getTime()),
    pan_ciphertext: seal(ctx.keys.pan, pan),
    fingerprint: cardFingerprint(ctx.keys, pan),
    brand,
    last4: pan.slice(-4),
    exp_month: expMonth,
    exp_year: expYear,
    country: cardCountry(pan),
    created_at: now,
  };
  await insertToken(ctx.db, token);
  return { id: token.id, card: { brand, last4: token.last4, exp_month: expMonth, exp_year: expYear } };
}
