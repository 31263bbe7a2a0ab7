import type { Queryable } from '../db/index.js';
import { enrollmentErrors } from './errors.js';
import { findEnrollment, type Enrollment } from './repository.js';

export async function loadEnrollment(db: Queryable, id: string): Promise<Enrollment> {
  const e = await findEnrollment(db, id);
  if (!e) throw enrollmentErrors.enrollment_not_found({ extra: { enrollment_id: id } });
  return e;
}
