export { spaRoutes, SPA_PATHS } from './routes.js';
export { spaCsp } from './csp.js';
