import { escapeHtml } from '../notifications/index.js';
import type { TenantView } from '../tenants/index.js';
import { formatMoney } from '../kernel/money.js';

/** A server-rendered first landing; the full dashboard SPA comes with the web issue. */
export function renderDashboard(input: {
  tenant: TenantView;
  customerId: string;
  subscriptions: { id: string; plan_id: string; status: string; interval: string; currency: string; amount: number; current_period_end: Date }[];
}): string {
  const e = escapeHtml;
  const subs = input.subscriptions
    .map((s) => `<tr><td>${e(s.plan_id)}</td><td><span class="badge">${e(s.status)}</span></td><td>${e(formatMoney(s.amount, s.currency, 'en'))} / ${e(s.interval)}</td><td>${e(s.current_period_end.toISOString().slice(0, 10))}</td></tr>`)
    .join('');
  const members = input.tenant.members
    .map((m) => `<tr><td>${e(m.customer_id)}${m.customer_id === input.customerId ? ' (you)' : ''}</td><td>${e(m.roles.join(', '))}</td><td>${e(m.permissions.join(', '))}</td></tr>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Your workspace · Enroll</title>
<style>body{font-family:system-ui,sans-serif;max-width:860px;margin:2rem auto;padding:0 1rem;color:#1f2933}h1{font-size:1.6rem}
table{border-collapse:collapse;width:100%;margin:1rem 0}td,th{text-align:left;padding:.5rem;border-bottom:1px solid #e4e7eb}
.badge{background:#e3f8ff;color:#035388;border-radius:999px;padding:.1rem .6rem}code{background:#f5f7fa;padding:.1rem .3rem}</style></head>
<body><h1>Your workspace is ready</h1>
<p>Tenant <code id="tenant-id">${e(input.tenant.id)}</code></p>
<h2>Plan</h2><table><thead><tr><th>Plan</th><th>Status</th><th>Price</th><th>Period ends</th></tr></thead><tbody>${subs}</tbody></table>
<h2>Members</h2><table><thead><tr><th>Customer</th><th>Roles</th><th>Permissions</th></tr></thead><tbody>${members}</tbody></table>
</body></html>`;
}
