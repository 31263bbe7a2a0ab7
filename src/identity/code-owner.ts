/**
 * Whose code it is: an enrollment's (verifying the address or phone) or a session's (an email step-up).
 * The owner's id is also mixed into the code's hash, so a code is worthless for any other owner.
 */
export type CodeOwner = { enrollmentId: string } | { sessionId: string };

/** The column and id an owner is stored under; the column comes from this closed set, never from input. */
export function ownerColumn(o: CodeOwner): { column: 'enrollment_id' | 'session_id'; id: string } {
  return 'enrollmentId' in o ? { column: 'enrollment_id', id: o.enrollmentId } : { column: 'session_id', id: o.sessionId };
}
