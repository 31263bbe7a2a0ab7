export type { KeyManager, MasterKey } from './key-manager.js';
export { createLocalKeyManager } from './adapters/local-key-manager.js';
export { createVault, type Vault, type StoredKey } from './vault.js';
export { rewrapSubjectKeys } from './rewrap-subject-keys.js';
export { deleteSubjectKeys } from './repository.js';
