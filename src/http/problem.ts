import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requestLocale, resolveLocale, translate } from '../i18n/index.js';
import { AppError, type FieldErrors } from '../kernel/errors.js';
import { httpErrors } from './errors.js';
import { issuesToFields } from './field-codes.js';

/**
 * RFC 9457 body. `type` points at the error catalogue entry. With a locale, the
 * title (and a detail that only repeats it) comes from `error.<code>.title` in
 * that locale; the code never changes, and without a locale the text stays the
 * English of the code's definition.
 */
export function problemBody(err: AppError, requestId: string, locale?: string) {
  const title = locale ? translate(`error.${err.code}.title`, locale, {}, err.title) : err.title;
  const body: Record<string, unknown> = {
    type: `https://enroll.dev/errors#${err.code}`,
    title,
    status: err.status,
    detail: err.message === err.title ? title : err.message,
    code: err.code,
    request_id: requestId,
    ...err.extra,
  };
  if (err.fields) body.fields = err.fields;
  return body;
}

export function sendProblem(reply: FastifyReply, err: AppError) {
  for (const [k, v] of Object.entries(err.headers)) reply.header(k, v);
  const req = reply.request;
  const locale = requestLocale((req.query as { locale?: unknown } | undefined)?.locale, req.headers['accept-language']);
  if (locale) reply.header('content-language', resolveLocale(locale));
  reply.header('vary', 'Accept-Language');
  return reply.status(err.status).type('application/problem+json').send(problemBody(err, req.id, locale));
}

/** Map anything thrown to a catalogued AppError. Unknown errors never leak internals. */
export function toAppError(err: unknown, req: FastifyRequest): AppError {
  if (err instanceof AppError) return err;
  const fe = err as FastifyError & { validation?: unknown[]; validationContext?: string };
  if (fe.validation) {
    const fields: FieldErrors = issuesToFields(fe.validation as any);
    return httpErrors.request_validation_failed({ fields });
  }
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return httpErrors.request_unsupported_media_type();
  if (fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (fe.statusCode === 400 && fe instanceof SyntaxError)) {
    return httpErrors.request_malformed();
  }
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return httpErrors.request_too_large();
  if (fe.statusCode === 429) return httpErrors.rate_limited();
  req.log.error({ err }, 'unhandled error');
  return httpErrors.internal_error();
}

export function registerProblemHandlers(app: FastifyInstance) {
  app.setErrorHandler((err, req, reply) => {
    const appErr = toAppError(err, req);
    if (appErr.status >= 500 && appErr.code !== 'internal_error') req.log.error({ err }, appErr.code);
    return sendProblem(reply, appErr);
  });
  app.setNotFoundHandler((req, reply) => sendProblem(reply, httpErrors.route_not_found()));
}
