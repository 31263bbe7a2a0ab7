import type { FieldErrors } from '../kernel/errors.js';

/** A zod issue as fastify-type-provider-zod hands it to Fastify's error handler. */
interface ValidationEntry {
  keyword: string;
  instancePath: string;
  message: string;
  params?: { keys?: string[] };
}

/** A zod issue as zod itself reports it (for schemas parsed outside the route schema). */
interface ZodIssueLike {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
}

function toEntry(i: ValidationEntry | ZodIssueLike): ValidationEntry {
  if ('keyword' in i) return i;
  return { keyword: i.code, instancePath: `/${i.path.map(String).join('/')}`, message: i.message, params: { keys: i.keys } };
}

/**
 * zod issues → stable field codes. Custom refinements put their code in the
 * message (e.g. `invalid_phone`); built-in issues map to generic codes. The
 * message text is never a client contract.
 */
export function issuesToFields(issues: ReadonlyArray<ValidationEntry | ZodIssueLike>): FieldErrors {
  const entries = issues.map(toEntry);
  const fields: FieldErrors = {};
  const add = (path: string, code: string) => {
    const list = (fields[path] ??= []);
    if (!list.includes(code)) list.push(code);
  };
  for (const e of entries) {
    const path = e.instancePath.replace(/^\//, '').split('/').filter(Boolean).join('.') || '_';
    switch (e.keyword) {
      case 'invalid_type':
        // zod 4 does not report the input by default; its message names what it received.
        add(path, /received undefined/.test(e.message) ? 'required' : 'invalid_type');
        break;
      case 'too_small':
        add(path, 'too_short');
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
        for (const k of e.params?.keys ?? []) add(path === '_' ? k : `${path}.${k}`, 'unknown_field');
        break;
      case 'custom':
        add(path, /^[a-z_]+$/.test(e.message) ? e.message : 'invalid');
        break;
      default:
        add(path, /^[a-z_]+$/.test(e.message) ? e.message : 'invalid');
    }
  }
  return fields;
}
