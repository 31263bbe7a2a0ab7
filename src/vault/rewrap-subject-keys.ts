import type { Queryable } from '../db/index.js';
import type { KeyManager } from './key-manager.js';
import { listKeysBelowVersion, replaceWrappedKey } from './repository.js';

/**
 * Key rotation, online: every data key wrapped under an older master key
 * version is unwrapped and wrapped again under the newest, in batches, each
 * row compare-and-set on the version read. Readers keep working throughout
 * (old versions still unwrap); the data itself is never re-encrypted.
 * Returns how many keys moved.
 */
export async function rewrapSubjectKeys(db: Queryable, keyManager: KeyManager, opts: { now: Date; batch?: number }): Promise<number> {
  const batch = opts.batch ?? 500;
  let moved = 0;
  for (;;) {
    const keys = await listKeysBelowVersion(db, keyManager.currentVersion, batch);
    if (keys.length === 0) return moved;
    for (const k of keys) {
      const dataKey = await keyManager.unwrap(k.key_version, k.wrapped_key, k.subject_id);
      const { version, wrapped } = await keyManager.wrap(dataKey, k.subject_id);
      if (await replaceWrappedKey(db, { subjectId: k.subject_id, fromVersion: k.key_version, toVersion: version, wrapped, now: opts.now })) moved++;
    }
  }
}
