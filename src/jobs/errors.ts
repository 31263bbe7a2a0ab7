import { defineErrors } from '../kernel/errors.js';

/** Programmer and worker errors: they never reach a client, but they are coded like every other. */
export const jobErrors = defineErrors({
  job_type_invalid: { status: 500, title: 'A job type must be kebab-case' },
  job_payload_forbidden: { status: 500, title: 'A job payload must not carry secrets' },
  job_type_unknown: { status: 500, title: 'No handler is registered for this job type' },
  job_timeout: { status: 500, title: 'The job handler outlived its lease' },
  job_failed_permanently: { status: 500, title: 'The job failed in a way no retry can change; it is dead-lettered at once' },
});
