/**
 * The error catalogue. A code is defined once, with its HTTP status and title,
 * so no throw site ever picks a status (GUIDE §5: "HTTP status chosen at the
 * throw site" is what we avoid). docs/errors.md is tied to this registry by a test.
 */
export type FieldErrors = Record<string, string[]>;

export interface ErrorDefinition {
  status: number;
  title: string;
}

const registry = new Map<string, ErrorDefinition>();

export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly title: string;
  readonly fields?: FieldErrors;
  /** Extra members for the problem body (e.g. `allowed`, `decline_code`). */
  readonly extra: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(
    code: string,
    def: ErrorDefinition,
    opts: { detail?: string; fields?: FieldErrors; extra?: Record<string, unknown>; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(opts.detail ?? def.title, { cause: opts.cause });
    this.code = code;
    this.status = def.status;
    this.title = def.title;
    this.fields = opts.fields;
    this.extra = opts.extra ?? {};
    this.headers = opts.headers ?? {};
  }
}

export type ErrorOptions = ConstructorParameters<typeof AppError>[2];
export type ErrorFactory = ((opts?: ErrorOptions) => AppError) & { code: string; status: number };

/** Define a module's codes; returns one factory per code. */
export function defineErrors<K extends string>(defs: Record<K, ErrorDefinition>): Record<K, ErrorFactory> {
  const out = {} as Record<K, ErrorFactory>;
  for (const code of Object.keys(defs) as K[]) {
    if (!/^[a-z][a-z0-9]*(_[a-z0-9]+)+$/.test(code)) throw new Error(`error code ${code} is not snake_case with a module prefix`);
    if (registry.has(code)) throw new Error(`error code ${code} defined twice`);
    const def = defs[code];
    registry.set(code, def);
    const factory = ((opts?: ErrorOptions) => new AppError(code, def, opts)) as ErrorFactory;
    factory.code = code;
    factory.status = def.status;
    out[code] = factory;
  }
  return out;
}

/** Every code defined so far (modules register on import). */
export function errorCatalogue(): ReadonlyMap<string, ErrorDefinition> {
  return registry;
}

export function isAppError(err: unknown, factory?: ErrorFactory): err is AppError {
  return err instanceof AppError && (!factory || err.code === factory.code);
}
