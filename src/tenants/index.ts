export { DEFAULT_ROLES, type RoleName } from './default-roles.js';
export { createTenant } from './create-tenant.js';
export { getTenant, isMember, firstTenantOf, memberPermissions, type TenantView } from './get-tenant.js';
export { tenantErrors } from './errors.js';
