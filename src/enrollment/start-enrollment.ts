import type { Deps } from '../deps.js';
import { newId } from '../kernel/ids.js';
import { currencyForCountry } from '../pricing/index.js';
import type { FlowContext } from './context.js';
import { insertEnrollment, type Enrollment } from './repository.js';

/** Open a new enrollment flow; it expires after ENROLLMENT_TTL_MINUTES. */
export async function startEnrollment(
  deps: Pick<Deps, 'db' | 'config' | 'tax' | 'catalog'>,
  input: { locale: string; country?: string | null; currency?: string | null },
  ctx: FlowContext,
): Promise<Enrollment> {
  const id = newId('enr', ctx.now.getTime());
  // Currency follows the country (config/tax.json, as for GET /v1/plans); an explicit one wins.
  const currency = input.currency ?? currencyForCountry(deps.tax, deps.catalog.currencies, input.country) ?? null;
  return insertEnrollment(
    deps.db,
    {
      id,
      channel: ctx.channel,
      state: 'started',
      locale: input.locale,
      country: input.country ?? null,
      currency,
      expires_at: new Date(ctx.now.getTime() + deps.config.enrollmentTtlMinutes * 60_000),
      // From the clock port, like expires_at: the risk engine times the form against it.
      created_at: ctx.now,
    },
    {
      action: 'enrollment.started',
      actor: ctx.actor,
      channel: ctx.channel,
      requestId: ctx.requestId,
      subject: { type: 'enrollment', id },
      data: { locale: input.locale, country: input.country ?? null, currency },
    },
  );
}
