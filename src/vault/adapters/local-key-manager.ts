import { deriveKey } from '../../kernel/crypto.js';
import { openWithAad, sealWithAad } from '../aead.js';
import type { KeyManager, MasterKey } from '../key-manager.js';

/**
 * Master keys from config (PII_MASTER_KEYS), held in this process. The newest
 * version wraps; all listed versions unwrap, so a key can be added, the
 * rewrap job run, and only then the old one removed.
 */
export function createLocalKeyManager(masterKeys: readonly MasterKey[]): KeyManager {
  if (masterKeys.length === 0) throw new Error('at least one PII master key is required');
  const keys = new Map(masterKeys.map((k) => [k.version, deriveKey(k.secret, 'pii-master')]));
  if (keys.size !== masterKeys.length) throw new Error('PII master key versions must be unique');
  const currentVersion = Math.max(...keys.keys());
  const keyOf = (version: number) => {
    const k = keys.get(version);
    if (!k) throw new Error(`PII master key version ${version} is not configured`);
    return k;
  };
  return {
    currentVersion,
    async wrap(dataKey, subjectId) {
      return { version: currentVersion, wrapped: sealWithAad(keyOf(currentVersion), dataKey, `dek:${subjectId}`) };
    },
    async unwrap(version, wrapped, subjectId) {
      return openWithAad(keyOf(version), wrapped, `dek:${subjectId}`);
    },
  };
}
