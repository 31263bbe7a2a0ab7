import { defineErrors } from '../kernel/errors.js';

export const tenantErrors = defineErrors({
  tenant_not_found: { status: 404, title: 'No such tenant' },
});
