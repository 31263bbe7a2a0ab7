import type { Queryable } from '../db/index.js';
import { sha256 } from '../kernel/crypto.js';
import { CatalogError } from './load-catalog.js';
import type { Catalog } from './types.js';

/**
 * Record the catalogue version this process serves, or refuse to start if that
 * version label was published before with other content: a published version
 * is immutable (subscriptions and quotes point at it), so a price edit must
 * come with a new version.
 */
export async function publishCatalog(db: Queryable, catalog: Catalog, now: Date): Promise<void> {
  const hash = sha256(JSON.stringify(catalog));
  await db.query(`INSERT INTO catalog_versions (version, content_hash, published_at) VALUES ($1, $2, $3) ON CONFLICT (version) DO NOTHING`, [catalog.version, hash, now]);
  const { rows } = await db.query<{ content_hash: string }>(`SELECT content_hash FROM catalog_versions WHERE version = $1`, [catalog.version]);
  if (rows[0]?.content_hash !== hash) {
    throw new CatalogError(`version ${catalog.version}`, [`version: "${catalog.version}" was published with other content; give the edited catalogue a new version`]);
  }
}
