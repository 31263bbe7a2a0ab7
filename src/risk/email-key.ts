/**
 * The identity behind an address, for risk only (never for delivery): the
 * `+tag` is dropped, and at Gmail dots are too, since `a.n.n.a+7@gmail.com`
 * reaches the same inbox as `anna@gmail.com`. Trial abuse and email velocity
 * count this key, so a tag or a dot does not make a new person.
 */
export function emailRiskKey(normalized: string): string {
  const at = normalized.lastIndexOf('@');
  let local = normalized.slice(0, at).toLowerCase();
  let domain = normalized.slice(at + 1).toLowerCase();
  const plus = local.indexOf('+');
  if (plus > 0) local = local.slice(0, plus);
  if (domain === 'googlemail.com') domain = 'gmail.com';
  if (domain === 'gmail.com') local = local.replaceAll('.', '');
  return `${local}@${domain}`;
}
