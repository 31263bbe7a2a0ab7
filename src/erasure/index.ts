export { erasureRoutes } from './routes.js';
export { erasureErrors } from './errors.js';
export { requestErasure } from './request-erasure.js';
export { eraseCustomerHandler } from './erase-customer.js';
export { erasureDeadline, regimeFor, type Regime } from './deadline.js';
