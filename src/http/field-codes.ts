import type { FieldErrors } from '../kernel/errors.js';

interface ZodLikeIssue {
  code: string;
  path: PropertyKey[];
  message: string;
  input?: unknown;
  keys?: string[];
}

/**
 * zod issues → stable field codes. Custom refinements put their code in the
 * message (e.g. `invalid_phone`); built-in issues map to generic codes. The
 * message text itself is never a contract.
 */
export function issuesToFields(issues: ZodLikeIssue[]): FieldErrors {
  const fields: FieldErrors = {};
  const add = (path: string, code: string) => {
    const list = (fields[path] ??= []);
    if (!list.includes(code)) list.push(code);
  };
  for (const issue of issues) {
    const path = issue.path.map(String).join('.') || '_';
    switch (issue.code) {
      case 'invalid_type':
        add(path, issue.input === undefined ? 'required' : 'invalid_type');
        break;
      case 'too_small':
        add(path, typeof issue.input === 'string' && issue.input.length === 0 ? 'required' : 'too_short');
        break;
      case 'too_big':
        add(path, 'too_long');
        break;
      case 'invalid_format':
        add(path, 'invalid_format');
        break;
      case 'invalid_value':
      case 'invalid_union':
        add(path, 'invalid_value');
        break;
      case 'unrecognized_keys':
        for (const k of issue.keys ?? []) add(path === '_' ? k : `${path}.${k}`, 'unknown_field');
        break;
      case 'custom':
        add(path, /^[a-z_]+$/.test(issue.message) ? issue.message : 'invalid');
        break;
      default:
        add(path, 'invalid');
    }
  }
  return fields;
}
