import type { Queryable } from '../db/index.js';
import type { Vault } from '../vault/index.js';
import { enrollmentErrors } from './errors.js';
import { findEnrollment, type Enrollment } from './repository.js';

export async function loadEnrollment(db: Queryable, id: string, vault: Vault): Promise<Enrollment> {
  const e = await findEnrollment(db, id, vault);
  if (!e) throw enrollmentErrors.enrollment_not_found({ extra: { enrollment_id: id } });
  return e;
}
