/**
 * Every tenant starts with these roles. Permissions are data, so a later
 * admin UI can edit a tenant's roles without a deploy; these are the seeds.
 */
export const DEFAULT_ROLES = {
  owner: ['tenant.manage', 'members.manage', 'billing.manage', 'billing.read', 'subscription.manage', 'data.export', 'account.delete', 'workspace.use'],
  admin: ['members.manage', 'subscription.manage', 'billing.read', 'workspace.use'],
  billing: ['billing.manage', 'billing.read'],
  member: ['workspace.use'],
} as const satisfies Record<string, readonly string[]>;

export type RoleName = keyof typeof DEFAULT_ROLES;
