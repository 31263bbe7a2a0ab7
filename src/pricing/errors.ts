import { defineErrors } from '../kernel/errors.js';

export const pricingErrors = defineErrors({
  pricing_plan_not_found: { status: 422, title: 'No such plan in the current catalogue' },
  pricing_currency_unsupported: { status: 422, title: 'This currency is not offered' },
  pricing_interval_unsupported: { status: 422, title: 'This billing interval is not offered for the plan' },
  pricing_quote_expired: { status: 422, title: 'The price quote has expired; select the plan again' },
  pricing_vat_id_invalid: { status: 422, title: 'This VAT id is not valid for the country' },
  pricing_quote_invalid: { status: 422, title: 'The price quote is not valid; select the plan again' },
});
