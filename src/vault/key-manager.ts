/**
 * The port that wraps and unwraps per-subject data keys with a master key.
 * Versions make rotation possible without downtime: new wraps use the newest
 * version, every configured older version still unwraps, and the rewrap job
 * moves stored keys forward. A KMS adapter (AWS KMS, Vault transit) fits the
 * same shape: the master key never leaves it.
 */
export interface KeyManager {
  /** The version new wraps use. */
  readonly currentVersion: number;
  wrap(dataKey: Buffer, subjectId: string): Promise<{ version: number; wrapped: string }>;
  /** Throws when the version is unknown (retired) or the wrapped key was tampered with. */
  unwrap(version: number, wrapped: string, subjectId: string): Promise<Buffer>;
}

export interface MasterKey {
  version: number;
  secret: string;
}
